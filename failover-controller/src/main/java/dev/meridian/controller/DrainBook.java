package dev.meridian.controller;

import dev.meridian.controller.consul.DrainRecord;
import dev.meridian.controller.consul.DrainSet;
import dev.meridian.controller.routing.Drain;
import dev.meridian.core.Ticker;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The drains the leader knows: each operator's record (who, why, when, as kept in Consul), the ramp
 * it drives, the version of the {@link DrainSet} they were last written as, and the datacenters
 * still to write it to. Changes are proposed as a new set ({@link #with}, {@link #without}) and
 * applied only once written ({@link #committed}). Not thread-safe: confined to the loop.
 */
final class DrainBook {
  private final Ticker ticker;
  private final InstantSource clock;
  private final Map<String, DrainRecord> records = new TreeMap<>();
  private final Map<String, Drain> ramps = new HashMap<>();
  private final Set<String> pending = new LinkedHashSet<>();
  private long version;

  DrainBook(Ticker ticker, InstantSource clock) {
    this.ticker = ticker;
    this.clock = clock;
  }

  /**
   * Starts from what a takeover found, keeping drains of {@code regions} only (others are reported
   * to {@code rejected}), and marks every region's datacenter as still to be written under the new
   * epoch.
   */
  void seed(DrainSet found, Collection<String> regions, Consumer<String> rejected) {
    clear();
    version = found.version();
    found
        .drains()
        .values()
        .forEach(
            record -> {
              if (regions.contains(record.region())) {
                add(record);
              } else {
                rejected.accept("drain of unknown region " + record.region() + ": skipped");
              }
            });
    pending.addAll(regions);
  }

  /** The set with {@code record} added, to write under {@code epoch}. */
  DrainSet with(DrainRecord record, long epoch) {
    Map<String, DrainRecord> next = new TreeMap<>(records);
    next.put(record.region(), record);
    return new DrainSet(version + 1, epoch, next);
  }

  /** The set without {@code region}'s drain, to write under {@code epoch}. */
  DrainSet without(String region, long epoch) {
    Map<String, DrainRecord> next = new TreeMap<>(records);
    next.remove(region);
    return new DrainSet(version + 1, epoch, next);
  }

  /** The current set, to rewrite under {@code epoch} where it is {@link #pending}. */
  DrainSet current(long epoch) {
    return new DrainSet(version, epoch, records);
  }

  /** Applies {@code written}, recorded at {@code writtenVersion}; {@code failed} still to write. */
  void committed(DrainSet written, long writtenVersion, Set<String> failed) {
    records.keySet().stream()
        .filter(region -> !written.drains().containsKey(region))
        .toList()
        .forEach(this::remove);
    written.drains().values().stream()
        .filter(record -> !records.containsKey(record.region()))
        .forEach(this::add);
    version = writtenVersion;
    pending.clear();
    pending.addAll(failed);
  }

  /** The datacenters the current set still has to be written to. */
  Set<String> pending() {
    return pending;
  }

  /** Forgets every drain (a new leader reloads them from Consul). */
  void clear() {
    records.clear();
    ramps.clear();
    pending.clear();
    version = 0;
  }

  /** The record of {@code region}'s drain, if it is drained. */
  Optional<DrainRecord> record(String region) {
    return Optional.ofNullable(records.get(region));
  }

  /** The ramps by region, for the routers. */
  Map<String, Drain> ramps() {
    return ramps;
  }

  private void add(DrainRecord record) {
    // The record's start is wall-clock time, so that another leader can continue the ramp; the
    // routing runs on the monotonic ticker, so translate once, here.
    long elapsed = Math.max(0, Duration.between(record.startedAt(), clock.instant()).toNanos());
    records.put(record.region(), record);
    ramps.put(
        record.region(), new Drain(record.who(), record.reason(), ticker.nanoTime() - elapsed));
  }

  private void remove(String region) {
    records.remove(region);
    ramps.remove(region);
  }
}
