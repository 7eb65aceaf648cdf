package dev.meridian.core.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import dev.meridian.core.metrics.Exposition.Sample;
import dev.meridian.core.metrics.Exposition.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes a {@link MetricRegistry} in the Prometheus text exposition format, version 0.0.4. Counters
 * and meters become counters named {@code _total}; gauges with a number or boolean value become
 * gauges; histograms and timers become summaries with quantiles 0.5, 0.75, 0.95, 0.99 and 0.999,
 * {@code _count}, and {@code _sum} when built on a {@link SummingReservoir}. Timers are in seconds.
 * Names tagged by {@link MetricNames#tagged} become labels; the rest of a name has every character
 * Prometheus does not allow replaced by '_', so {@code gateway.calls} becomes {@code
 * gateway_calls_total}.
 *
 * <p>Thread-safe: each call reads the registry afresh and keeps no state.
 */
public final class PrometheusTextFormat {
  /** The HTTP Content-Type of the text this class writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger logger = Logger.getLogger(PrometheusTextFormat.class.getName());
  private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.99, 0.999};
  private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  private final MetricRegistry registry;

  /** Creates a format that writes {@code registry}. */
  public PrometheusTextFormat(MetricRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * Returns every metric in the registry as exposition text, families sorted by name and series by
   * labels. A metric that throws when read, such as a broken gauge, is logged and left out.
   */
  public String render() {
    Exposition exposition = new Exposition();
    new TreeMap<>(registry.getMetrics())
        .forEach(
            (name, metric) -> {
              try {
                add(exposition, MetricNames.parse(name), metric);
              } catch (RuntimeException e) {
                logger.log(
                    Level.WARNING, e, () -> "Skipping metric " + name + ": reading it threw");
              }
            });
    return exposition.text();
  }

  private static void add(Exposition exposition, MetricNames.Tagged name, Metric metric) {
    String family = MetricNames.sanitize(name.base());
    // Timer and Meter share no type with Histogram and Counter, so the order here is free.
    if (metric instanceof Counter counter) {
      addTotal(exposition, family, help("counter", name), name, counter.getCount());
    } else if (metric instanceof Meter meter) {
      // Prometheus derives rates from the total itself; Dropwizard's moving averages would only
      // add series that disagree with it.
      addTotal(exposition, family, help("meter", name), name, meter.getCount());
    } else if (metric instanceof Gauge<?> gauge) {
      Optional<Double> value = gaugeValue(gauge.getValue());
      if (value.isPresent()) {
        exposition.add(
            family,
            Type.GAUGE,
            help("gauge", name),
            name.labels(),
            List.of(Sample.of("", value.get())));
      }
    } else if (metric instanceof Histogram histogram) {
      exposition.add(
          family,
          Type.SUMMARY,
          help("histogram", name),
          name.labels(),
          summary(histogram.getSnapshot(), histogram.getCount(), 1));
    } else if (metric instanceof Timer timer) {
      exposition.add(
          family,
          Type.SUMMARY,
          help("timer", name) + ", in seconds",
          name.labels(),
          summary(timer.getSnapshot(), timer.getCount(), NANOS_PER_SECOND));
    }
    // Dropwizard has no other metric types; a custom Metric has nothing this format could read.
  }

  private static void addTotal(
      Exposition exposition, String family, String help, MetricNames.Tagged name, long count) {
    String total = family.endsWith("_total") ? family : family + "_total";
    exposition.add(total, Type.COUNTER, help, name.labels(), List.of(Sample.of("", count)));
  }

  private static String help(String kind, MetricNames.Tagged name) {
    return "Dropwizard " + kind + " " + name.base();
  }

  private static Optional<Double> gaugeValue(Object value) {
    if (value instanceof Number number) {
      return Optional.of(number.doubleValue());
    }
    if (value instanceof Boolean flag) {
      return Optional.of(flag ? 1.0 : 0.0);
    }
    return Optional.empty();
  }

  /** Returns a summary's samples, each value divided by {@code unit} (nanoseconds per second). */
  private static List<Sample> summary(Snapshot snapshot, long count, double unit) {
    List<Sample> samples = new ArrayList<>(QUANTILES.length + 2);
    for (double quantile : QUANTILES) {
      // Dropwizard answers 0 for an empty sample; NaN says "no data", as Prometheus' clients do.
      double value = snapshot.size() == 0 ? Double.NaN : snapshot.getValue(quantile) / unit;
      samples.add(Sample.quantile(quantile, value));
    }
    if (snapshot instanceof SummingReservoir.SummingSnapshot summing) {
      samples.add(Sample.of("_sum", summing.sum() / unit));
    }
    samples.add(Sample.of("_count", count));
    return samples;
  }
}
