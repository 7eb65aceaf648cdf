package dev.meridian.core.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Dropwizard registry as Prometheus metric families, for the Prometheus client's writers.
 * Every family is named {@code meridian_} and the registered base with each character Prometheus
 * does not allow replaced by '_' ({@code gateway.call.duration.seconds} becomes {@code
 * meridian_gateway_call_duration_seconds}); labels come from {@link MetricNames#tagged} names.
 * Counters and meters become counters ({@code _total} is the writer's), gauges with a number or
 * boolean value gauges, {@link BucketHistogram}s histograms; each family has the HELP text its
 * module gave in {@link MetricHelp#RESOURCE}.
 *
 * <p>Dropwizard timers and histograms are not exported: their decaying samples cannot be added up
 * across processes, so Meridian records latencies in {@link BucketHistogram}s.
 *
 * <p>Thread-safe: each collection reads the registry afresh.
 */
final class RegistryCollector implements MultiCollector {
  static final String PREFIX = "meridian_";

  private static final Logger logger = LoggerFactory.getLogger(RegistryCollector.class);
  private static final String TOTAL = "_total";

  private final MetricRegistry registry;
  private final MetricHelp help;

  RegistryCollector(MetricRegistry registry, MetricHelp help) {
    this.registry = registry;
    this.help = help;
  }

  /** The kinds of family this collector writes. */
  private enum Kind {
    COUNTER,
    GAUGE,
    HISTOGRAM
  }

  /** The metrics registered under one base, by their labels. */
  private record Family(String base, Kind kind, Map<Labels, Metric> members) {}

  @Override
  public MetricSnapshots collect() {
    Map<String, Family> families = new TreeMap<>();
    registry
        .getMetrics()
        .forEach(
            (name, metric) -> {
              MetricNames.Tagged tagged = MetricNames.parse(name);
              Optional<Kind> kind = kind(metric);
              if (kind.isEmpty()) {
                return;
              }
              Family family =
                  families.computeIfAbsent(
                      familyName(tagged.base(), kind.get()),
                      key -> new Family(tagged.base(), kind.get(), new TreeMap<>()));
              if (family.kind() == kind.get()) {
                family.members().put(labels(tagged), metric);
              } else {
                logger
                    .atWarn()
                    .addKeyValue("metric", name)
                    .addKeyValue("family_kind", String.valueOf(family.kind()))
                    .log("skipping a metric of another kind than its family");
              }
            });
    List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
    families.forEach((name, family) -> snapshots.add(snapshot(name, family)));
    return new MetricSnapshots(snapshots);
  }

  private static Optional<Kind> kind(Metric metric) {
    if (metric instanceof BucketHistogram) {
      return Optional.of(Kind.HISTOGRAM);
    }
    if (metric instanceof Counter || metric instanceof Meter) {
      return Optional.of(Kind.COUNTER);
    }
    if (metric instanceof Gauge<?>) {
      return Optional.of(Kind.GAUGE);
    }
    return Optional.empty();
  }

  private static String familyName(String base, Kind kind) {
    String name = PREFIX + MetricNames.sanitize(base);
    return kind == Kind.COUNTER && name.endsWith(TOTAL)
        ? name.substring(0, name.length() - TOTAL.length())
        : name;
  }

  private static Labels labels(MetricNames.Tagged tagged) {
    return Labels.of(
        new ArrayList<>(tagged.labels().keySet()), new ArrayList<>(tagged.labels().values()));
  }

  private MetricSnapshot snapshot(String name, Family family) {
    String text = help.of(family.base()).orElse(null);
    return switch (family.kind()) {
      case COUNTER -> {
        CounterSnapshot.Builder counters = CounterSnapshot.builder().name(name).help(text);
        family
            .members()
            .forEach(
                (labels, metric) ->
                    counters.dataPoint(
                        CounterDataPointSnapshot.builder()
                            .labels(labels)
                            .value(count(metric))
                            .build()));
        yield counters.build();
      }
      case GAUGE -> {
        GaugeSnapshot.Builder gauges = GaugeSnapshot.builder().name(name).help(text);
        family
            .members()
            .forEach(
                (labels, metric) ->
                    gaugeValue(name, (Gauge<?>) metric)
                        .ifPresent(
                            value ->
                                gauges.dataPoint(
                                    GaugeDataPointSnapshot.builder()
                                        .labels(labels)
                                        .value(value)
                                        .build())));
        yield gauges.build();
      }
      case HISTOGRAM -> {
        HistogramSnapshot.Builder histograms = HistogramSnapshot.builder().name(name).help(text);
        family
            .members()
            .forEach(
                (labels, metric) ->
                    histograms.dataPoint(histogram(labels, (BucketHistogram) metric)));
        yield histograms.build();
      }
    };
  }

  private static long count(Metric metric) {
    return metric instanceof Counter counter ? counter.getCount() : ((Meter) metric).getCount();
  }

  /** A gauge's value as a number; empty, and logged, if it throws or is not a number. */
  private static Optional<Double> gaugeValue(String name, Gauge<?> gauge) {
    Object value;
    try {
      value = gauge.getValue();
    } catch (RuntimeException e) {
      logger
          .atWarn()
          .addKeyValue("metric", name)
          .setCause(e)
          .log("skipping a gauge: reading it threw");
      return Optional.empty();
    }
    if (value instanceof Number number) {
      return Optional.of(number.doubleValue());
    }
    if (value instanceof Boolean flag) {
      return Optional.of(flag ? 1.0 : 0.0);
    }
    return Optional.empty();
  }

  private static HistogramDataPointSnapshot histogram(Labels labels, BucketHistogram histogram) {
    BucketHistogram.Snapshot snapshot = histogram.snapshot();
    double[] bounds = Arrays.copyOf(snapshot.upperBounds(), snapshot.upperBounds().length + 1);
    bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
    return HistogramDataPointSnapshot.builder()
        .labels(labels)
        .sum(snapshot.sum())
        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, snapshot.counts()))
        .build();
  }
}
