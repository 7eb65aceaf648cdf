package dev.meridian.core.metrics;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram with fixed buckets, the kind Prometheus has: a count per bucket and a sum of every
 * value. Unlike Dropwizard's sampling reservoirs, its series add up across processes and over time,
 * so a quantile of every gateway together can be computed at query time. It lives in a Dropwizard
 * registry like any metric and is exported as a Prometheus histogram.
 *
 * <p>Thread-safe and lock-free: an observation is a binary search over the bounds and two adder
 * increments.
 */
public final class BucketHistogram implements Metric, Counting {
  /**
   * Bounds for latencies, in seconds: fine below 100 ms, where answers are, and with the 200 ms
   * objective as a bound of its own so that the share of calls within it is counted, not estimated.
   */
  private static final double[] LATENCY_SECONDS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10
  };

  private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  private final double[] upperBounds;
  private final LongAdder[] counts;
  private final DoubleAdder sum = new DoubleAdder();

  private BucketHistogram(double[] upperBounds) {
    if (upperBounds.length == 0) {
      throw new IllegalArgumentException("upper bounds: none (expected: at least one)");
    }
    for (int i = 0; i < upperBounds.length; i++) {
      if (!Double.isFinite(upperBounds[i]) || (i > 0 && upperBounds[i] <= upperBounds[i - 1])) {
        throw new IllegalArgumentException(
            "upper bounds: "
                + Arrays.toString(upperBounds)
                + " (expected: finite and strictly ascending; +Inf is always the last bucket)");
      }
    }
    this.upperBounds = upperBounds.clone();
    this.counts = new LongAdder[upperBounds.length + 1];
    Arrays.setAll(counts, bucket -> new LongAdder());
  }

  /**
   * The latency histogram named {@code name} in {@code registry}, in seconds, registered on first
   * use. Its name should end with {@code .seconds}.
   */
  public static BucketHistogram latency(MetricRegistry registry, String name) {
    return in(registry, name, LATENCY_SECONDS);
  }

  /**
   * The histogram named {@code name} in {@code registry}, registered with {@code upperBounds} on
   * first use; later calls get the registered one whatever bounds they pass.
   *
   * @throws IllegalArgumentException if the bounds are not finite and strictly ascending, or
   *     another kind of metric has that name
   */
  public static BucketHistogram in(MetricRegistry registry, String name, double... upperBounds) {
    Metric metric = registry.getMetrics().get(name);
    if (metric == null) {
      BucketHistogram created = new BucketHistogram(upperBounds);
      try {
        return registry.register(name, created);
      } catch (IllegalArgumentException registeredMeanwhile) {
        metric = registry.getMetrics().get(name);
      }
    }
    if (metric instanceof BucketHistogram histogram) {
      return histogram;
    }
    throw new IllegalArgumentException(
        "metric " + name + " is a " + metric.getClass().getSimpleName() + ", not a histogram");
  }

  /** Counts {@code value} in the first bucket whose upper bound is at least it. */
  public void observe(double value) {
    int found = Arrays.binarySearch(upperBounds, value);
    counts[found >= 0 ? found : -found - 1].increment();
    sum.add(value);
  }

  /** Counts a duration of {@code nanos} nanoseconds, in seconds. */
  public void observeNanos(long nanos) {
    observe(nanos / NANOS_PER_SECOND);
  }

  /** Every value counted so far. */
  @Override
  public long getCount() {
    long count = 0;
    for (LongAdder bucket : counts) {
      count += bucket.sum();
    }
    return count;
  }

  /**
   * The counts now. Read while others observe, the counts and the sum may each miss or include an
   * observation made during the read, as Prometheus' own clients allow.
   */
  Snapshot snapshot() {
    long[] now = new long[counts.length];
    Arrays.setAll(now, bucket -> counts[bucket].sum());
    return new Snapshot(upperBounds.clone(), now, sum.sum());
  }

  /**
   * A histogram's counts at one moment.
   *
   * @param upperBounds each bucket's upper bound but the last, +Inf
   * @param counts the values counted in each bucket (not cumulative), one more than the bounds
   * @param sum the sum of every value counted
   */
  record Snapshot(double[] upperBounds, long[] counts, double sum) {}
}
