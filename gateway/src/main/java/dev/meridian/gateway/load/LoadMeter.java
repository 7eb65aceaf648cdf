package dev.meridian.gateway.load;

import dev.meridian.core.Ticker;
import dev.meridian.registry.LoadReport.RegionLoad;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures the load this gateway sends each region, per model, from the upstream attempts the
 * metrics already time: how many ended, and how long they took together. Over a window, the first
 * divided by its length is the calls per second, and the second divided by its length the mean
 * calls in flight (the time-average of the number in flight is the summed time in flight over the
 * window; an attempt counts in the window it ends in). Recording an attempt costs a map lookup and
 * two {@link LongAdder} additions: no lock. Thread-safe.
 */
public final class LoadMeter {
  private final Ticker ticker;
  private final ConcurrentMap<String, ConcurrentMap<String, Tally>> tallies =
      new ConcurrentHashMap<>();
  private long windowStart;

  /** A meter whose first window starts now. */
  public LoadMeter(Ticker ticker) {
    this.ticker = ticker;
    this.windowStart = ticker.nanoTime();
  }

  /** An attempt of {@code model} to {@code region} ended after {@code elapsed}. */
  public void attemptEnded(String model, String region, Duration elapsed) {
    ConcurrentMap<String, Tally> byRegion = tallies.get(model);
    if (byRegion == null) {
      byRegion = tallies.computeIfAbsent(model, name -> new ConcurrentHashMap<>());
    }
    Tally tally = byRegion.get(region);
    if (tally == null) {
      tally = byRegion.computeIfAbsent(region, name -> new Tally());
    }
    tally.attempts.increment();
    tally.nanos.add(elapsed.toNanos());
  }

  /**
   * The load since the previous call (or since the meter was made), by model and region, and a new
   * window from now. A region once called stays in the result, with zero load while it gets none.
   */
  public synchronized Map<String, Map<String, RegionLoad>> takeWindow() {
    long now = ticker.nanoTime();
    double window = Math.max(1, now - windowStart);
    windowStart = now;
    Map<String, Map<String, RegionLoad>> load = new TreeMap<>();
    tallies.forEach(
        (model, byRegion) -> {
          Map<String, RegionLoad> regions = new LinkedHashMap<>();
          new TreeMap<>(byRegion)
              .forEach(
                  (region, tally) ->
                      regions.put(
                          region,
                          new RegionLoad(
                              tally.attempts.sumThenReset() * 1e9 / window,
                              tally.nanos.sumThenReset() / window)));
          load.put(model, regions);
        });
    return load;
  }

  private static final class Tally {
    final LongAdder attempts = new LongAdder();
    final LongAdder nanos = new LongAdder();
  }
}
