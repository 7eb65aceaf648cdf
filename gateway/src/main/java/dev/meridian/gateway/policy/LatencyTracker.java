package dev.meridian.gateway.policy;

import dev.meridian.core.Ticker;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Recent latency of one region for one model, as percentiles: the answers of the last one to two
 * windows, counted in logarithmic buckets 20% apart, so a percentile is exact to within 20% and
 * costs one pass over a hundred counters. The gateway derives hedge delays and the deadline-aware
 * region choice from it. Thread-safe: every method is synchronized and does no allocation.
 */
public final class LatencyTracker {
  private static final long SMALLEST_NANOS = 50_000;
  private static final double GROWTH = 1.2;
  private static final int BUCKETS = 90;

  private final long windowNanos;
  private final Ticker ticker;
  // Guarded by this.
  private long[] current = new long[BUCKETS];
  private long[] previous = new long[BUCKETS];
  private long currentSamples;
  private long previousSamples;
  private long windowStartNanos;

  /** Creates a tracker that keeps answers for one to two {@code window}s. */
  public LatencyTracker(Duration window, Ticker ticker) {
    this.windowNanos = window.toNanos();
    this.ticker = ticker;
    this.windowStartNanos = ticker.nanoTime();
  }

  /** Records an answer that took {@code elapsed}. */
  public synchronized void record(Duration elapsed) {
    rotate();
    current[bucket(elapsed.toNanos())]++;
    currentSamples++;
  }

  /**
   * The {@code percentile} (0..100) of recent answers, rounded up to its bucket's bound; empty when
   * fewer than {@code minSamples} answers are recent.
   */
  public synchronized Optional<Duration> percentile(double percentile, int minSamples) {
    rotate();
    long samples = currentSamples + previousSamples;
    if (samples < Math.max(1, minSamples)) {
      return Optional.empty();
    }
    long rank = (long) Math.ceil(samples * percentile / 100.0);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += current[i] + previous[i];
      if (seen >= Math.max(1, rank)) {
        return Optional.of(Duration.ofNanos(upperBound(i)));
      }
    }
    return Optional.of(Duration.ofNanos(upperBound(BUCKETS - 1)));
  }

  private void rotate() {
    long now = ticker.nanoTime();
    long elapsed = now - windowStartNanos;
    if (elapsed < windowNanos) {
      return;
    }
    if (elapsed < 2 * windowNanos) {
      long[] emptied = previous;
      Arrays.fill(emptied, 0);
      previous = current;
      previousSamples = currentSamples;
      current = emptied;
    } else {
      // Quiet for two windows or more: nothing recent is left.
      Arrays.fill(current, 0);
      Arrays.fill(previous, 0);
      previousSamples = 0;
    }
    currentSamples = 0;
    windowStartNanos = now - elapsed % windowNanos;
  }

  private static int bucket(long nanos) {
    if (nanos <= SMALLEST_NANOS) {
      return 0;
    }
    int bucket = (int) Math.ceil(Math.log((double) nanos / SMALLEST_NANOS) / Math.log(GROWTH));
    return Math.min(bucket, BUCKETS - 1);
  }

  private static long upperBound(int bucket) {
    return (long) (SMALLEST_NANOS * Math.pow(GROWTH, bucket));
  }
}
