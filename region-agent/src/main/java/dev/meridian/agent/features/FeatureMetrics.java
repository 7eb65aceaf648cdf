package dev.meridian.agent.features;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.metrics.BucketHistogram;
import dev.meridian.core.metrics.MetricNames;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The feature lookups of one model, in an injected registry: {@code features.values{model,source}}
 * (values used, by source), {@code features.stale{model,source}} (of those, stale ones), {@code
 * features.missing{model,source}} (values a source was asked for and did not give, so the next one
 * was tried), {@code features.age{model,feature}} (a histogram of the used values' ages in
 * milliseconds), {@code features.store.errors{model,store}} (store reads that failed) and {@code
 * features.lookup{model}} (a timer of whole lookups). Thread-safe.
 */
public final class FeatureMetrics {
  /** Upper bounds of the feature-age histogram, in seconds: from fresh to a day old. */
  private static final double[] AGES = {1, 10, 60, 300, 900, 3600, 4 * 3600, 24 * 3600};

  private final MetricRegistry registry;
  private final String model;
  private final Map<FeatureSource, Counter> values = new EnumMap<>(FeatureSource.class);
  private final Map<FeatureSource, Counter> stale = new EnumMap<>(FeatureSource.class);
  private final Map<FeatureSource, Counter> missing = new EnumMap<>(FeatureSource.class);
  private final Map<String, BucketHistogram> ages = new TreeMap<>();
  private final BucketHistogram lookups;

  /** Registers the metrics of {@code model}'s {@code inputs}. */
  public FeatureMetrics(MetricRegistry registry, String model, FeatureInputs inputs) {
    this.registry = registry;
    this.model = model;
    for (FeatureSource source : FeatureSource.values()) {
      values.put(source, registry.counter(tagged("features.values", "source", source.label())));
      stale.put(source, registry.counter(tagged("features.stale", "source", source.label())));
      missing.put(source, registry.counter(tagged("features.missing", "source", source.label())));
    }
    for (String feature : inputs.names()) {
      ages.put(
          feature,
          BucketHistogram.in(registry, tagged("features.age.seconds", "feature", feature), AGES));
    }
    this.lookups =
        BucketHistogram.latency(
            registry, MetricNames.tagged("features.lookup.duration.seconds", "model", model));
  }

  private String tagged(String base, String key, String value) {
    return MetricNames.tagged(base, key, value, "model", model);
  }

  /** Counts a value of {@code feature} used from {@code source}, {@code ageMillis} old. */
  void used(String feature, FeatureSource source, long ageMillis, boolean isStale) {
    values.get(source).inc();
    if (source != FeatureSource.DEFAULT) {
      ages.get(feature).observe(ageMillis / 1000.0);
    }
    if (isStale) {
      stale.get(source).inc();
    }
  }

  /** Counts {@code count} values {@code source} did not give. */
  void missing(FeatureSource source, int count) {
    missing.get(source).inc(count);
  }

  /** Counts a failed read of {@code store}. */
  void storeFailed(String store) {
    registry.counter(tagged("features.store.errors", "store", store)).inc();
  }

  /** Records a whole lookup that took {@code nanos}. */
  void lookup(long nanos) {
    lookups.observeNanos(nanos);
  }
}
