package dev.meridian.core.metrics;

import com.codahale.metrics.Reservoir;
import com.codahale.metrics.Snapshot;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link Reservoir} that also keeps the exact sum of every value recorded, so that a histogram or
 * timer built on it exports a Prometheus summary {@code _sum}. Dropwizard keeps only a sample, from
 * which no running total can be recovered; {@link PrometheusTextFormat} omits {@code _sum} for
 * reservoirs without one. Typical use: {@code registry.timer(name, () -> new Timer(new
 * SummingReservoir(new ExponentiallyDecayingReservoir())))}.
 *
 * <p>Thread-safe if the delegate is, as every Dropwizard reservoir is.
 */
public final class SummingReservoir implements Reservoir {
  private final Reservoir delegate;
  private final LongAdder sum = new LongAdder();

  /** Creates a reservoir that samples through {@code delegate}. */
  public SummingReservoir(Reservoir delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public void update(long value) {
    sum.add(value);
    delegate.update(value);
  }

  @Override
  public Snapshot getSnapshot() {
    return new SummingSnapshot(delegate.getSnapshot(), sum.sum());
  }

  /** The delegate's snapshot together with the sum of all values ever recorded. */
  static final class SummingSnapshot extends Snapshot {
    private final Snapshot sample;
    private final long sum;

    private SummingSnapshot(Snapshot sample, long sum) {
      this.sample = sample;
      this.sum = sum;
    }

    /** The sum of every value recorded, not just of those sampled. */
    long sum() {
      return sum;
    }

    @Override
    public double getValue(double quantile) {
      return sample.getValue(quantile);
    }

    @Override
    public long[] getValues() {
      return sample.getValues();
    }

    @Override
    public int size() {
      return sample.size();
    }

    @Override
    public long getMax() {
      return sample.getMax();
    }

    @Override
    public double getMean() {
      return sample.getMean();
    }

    @Override
    public long getMin() {
      return sample.getMin();
    }

    @Override
    public double getStdDev() {
      return sample.getStdDev();
    }

    @Override
    public void dump(OutputStream output) {
      sample.dump(output);
    }
  }
}
