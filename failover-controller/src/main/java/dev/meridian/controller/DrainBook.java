package dev.meridian.controller;

import dev.meridian.controller.consul.DrainRecord;
import dev.meridian.controller.routing.Drain;
import dev.meridian.core.Ticker;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The drains the leader knows: each operator's record (who, why, when, as kept in Consul) and the
 * ramp it drives. Not thread-safe: confined to the routing engine's loop.
 */
final class DrainBook {
  private final Ticker ticker;
  private final InstantSource clock;
  private final Map<String, DrainRecord> records = new HashMap<>();
  private final Map<String, Drain> ramps = new HashMap<>();

  DrainBook(Ticker ticker, InstantSource clock) {
    this.ticker = ticker;
    this.clock = clock;
  }

  /** Adds a drain, continuing its ramp from when it started (possibly under another leader). */
  void add(DrainRecord record) {
    // The record's start is wall-clock time, so that another leader can continue the ramp; the
    // routing runs on the monotonic ticker, so translate once, here.
    long elapsed = Math.max(0, Duration.between(record.startedAt(), clock.instant()).toNanos());
    records.put(record.region(), record);
    ramps.put(
        record.region(), new Drain(record.who(), record.reason(), ticker.nanoTime() - elapsed));
  }

  /** Ends the drain of {@code region}. */
  void remove(String region) {
    records.remove(region);
    ramps.remove(region);
  }

  /** Forgets every drain (a new leader reloads them from Consul). */
  void clear() {
    records.clear();
    ramps.clear();
  }

  /** The record of {@code region}'s drain, if it is drained. */
  Optional<DrainRecord> record(String region) {
    return Optional.ofNullable(records.get(region));
  }

  /** The ramps by region, for the routers. */
  Map<String, Drain> ramps() {
    return ramps;
  }
}
