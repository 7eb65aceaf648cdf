package dev.meridian.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryCollectorTest {
  private final MetricRegistry registry = new MetricRegistry();

  @Test
  void countersAndMetersAreCountersWithThePrefixAndHelp() {
    registry.counter(MetricNames.tagged("test.calls", "region", "eu-west")).inc(3);
    registry.counter(MetricNames.tagged("test.calls", "region", "us-east")).inc();
    registry.meter("test.marks_total").mark(2);

    assertThat(MetricsText.of(registry))
        .contains(
            """
            # HELP meridian_test_calls_total Calls a test made, by region
            # TYPE meridian_test_calls_total counter
            meridian_test_calls_total{region="eu-west"} 3.0
            meridian_test_calls_total{region="us-east"} 1.0
            """)
        .contains("# TYPE meridian_test_marks_total counter\nmeridian_test_marks_total 2.0\n");
  }

  @Test
  void aFamilyNoModuleDescribedHasNoHelp() {
    registry.counter("test.undescribed").inc();

    assertThat(MetricsText.of(registry))
        .contains("# TYPE meridian_test_undescribed_total counter")
        .doesNotContain("# HELP meridian_test_undescribed_total");
  }

  @Test
  void gaugesOfNumbersAndBooleansAreGaugesAndOthersAreLeftOut() {
    registry.register("test.depth", (Gauge<Integer>) () -> 4);
    registry.register("test.up", (Gauge<Boolean>) () -> true);
    registry.register("test.name", (Gauge<String>) () -> "x");

    assertThat(MetricsText.of(registry))
        .contains("meridian_test_depth 4.0\n")
        .contains("meridian_test_up 1.0\n")
        .doesNotContain("meridian_test_name");
  }

  @Test
  void bucketHistogramsAreHistogramsWithCumulativeBuckets() {
    BucketHistogram histogram =
        BucketHistogram.in(
            registry, MetricNames.tagged("test.duration.seconds", "model", "m"), 0.1, 0.2);
    histogram.observe(0.05);
    histogram.observe(0.15);
    histogram.observe(0.3);

    assertThat(MetricsText.of(registry))
        .contains(
            """
            # HELP meridian_test_duration_seconds Time a test call took
            # TYPE meridian_test_duration_seconds histogram
            meridian_test_duration_seconds_bucket{model="m",le="0.1"} 1
            meridian_test_duration_seconds_bucket{model="m",le="0.2"} 2
            meridian_test_duration_seconds_bucket{model="m",le="+Inf"} 3
            meridian_test_duration_seconds_count{model="m"} 3
            meridian_test_duration_seconds_sum{model="m"} 0.5
            """);
  }

  @Test
  void dropwizardTimersAndHistogramsAreNotExported() {
    registry.timer("test.timer").update(Duration.ofMillis(1));
    registry.histogram("test.sampled").update(1);

    assertThat(MetricsText.of(registry))
        .doesNotContain("meridian_test_timer")
        .doesNotContain("meridian_test_sampled");
  }

  @Test
  void aMetricOfAnotherKindThanItsFamilyIsLeftOut() {
    registry.counter(MetricNames.tagged("test.mixed", "kind", "counter")).inc();
    registry.register(MetricNames.tagged("test.mixed", "kind", "gauge"), (Gauge<Integer>) () -> 1);

    String text = MetricsText.of(registry);

    assertThat(text).contains("meridian_test_mixed_total{kind=\"counter\"} 1.0");
    assertThat(text).doesNotContain("kind=\"gauge\"");
  }

  @Test
  void labelValuesAreEscaped() {
    registry.counter(MetricNames.tagged("test.calls", "model", "a\"b\\c\nd,e")).inc();

    assertThat(MetricsText.of(registry))
        .contains("meridian_test_calls_total{model=\"a\\\"b\\\\c\\nd,e\"} 1.0");
  }

  @Test
  void aThrowingGaugeIsLeftOutAndTheRestIsWritten() {
    registry.register(
        "test.broken",
        (Gauge<Long>)
            () -> {
              throw new IllegalStateException("boom");
            });
    registry.counter("test.calls").inc();

    assertThat(MetricsText.of(registry))
        .contains("meridian_test_calls_total 1.0")
        .doesNotContain("meridian_test_broken ");
  }
}
