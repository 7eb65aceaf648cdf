package dev.meridian.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.codahale.metrics.MetricRegistry;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class BucketHistogramTest {
  private final MetricRegistry registry = new MetricRegistry();

  @Test
  void countsEachValueInTheFirstBucketWhoseBoundIsAtLeastIt() {
    BucketHistogram histogram = BucketHistogram.in(registry, "h", 1, 2, 5);

    histogram.observe(0.5);
    histogram.observe(1);
    histogram.observe(1.5);
    histogram.observe(5);
    histogram.observe(7);
    histogram.observe(Double.NaN);

    BucketHistogram.Snapshot snapshot = histogram.snapshot();
    assertThat(snapshot.upperBounds()).containsExactly(1, 2, 5);
    assertThat(snapshot.counts()).containsExactly(2, 1, 1, 2);
    assertThat(histogram.getCount()).isEqualTo(6);
  }

  @Test
  void sumsTheValuesAndCountsNanosecondsAsSeconds() {
    BucketHistogram histogram = BucketHistogram.latency(registry, "h.seconds");

    histogram.observeNanos(150_000_000);
    histogram.observeNanos(50_000_000);

    BucketHistogram.Snapshot snapshot = histogram.snapshot();
    assertThat(snapshot.sum()).isCloseTo(0.2, Offset.offset(1e-12));
    assertThat(snapshot.upperBounds()).contains(0.1, 0.2);
    // 0.05 s and 0.15 s: in the buckets up to 50 ms and up to 200 ms.
    int fifty = Arrays.binarySearch(snapshot.upperBounds(), 0.05);
    int twoHundred = Arrays.binarySearch(snapshot.upperBounds(), 0.2);
    assertThat(snapshot.counts()[fifty]).isEqualTo(1);
    assertThat(snapshot.counts()[twoHundred]).isEqualTo(1);
  }

  @Test
  void theSameNameGivesTheSameHistogram() {
    assertThat(BucketHistogram.in(registry, "h", 1, 2)).isSameAs(BucketHistogram.in(registry, "h"));
  }

  @Test
  void anotherKindOfMetricByThatNameIsAnError() {
    registry.counter("c");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> BucketHistogram.in(registry, "c", 1))
        .withMessage("metric c is a Counter, not a histogram");
  }

  @Test
  void boundsMustBeFiniteAndStrictlyAscending() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BucketHistogram.in(registry, "a", 2, 1))
        .withMessageContaining("strictly ascending");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BucketHistogram.in(registry, "b", 1, Double.POSITIVE_INFINITY))
        .withMessageContaining("finite");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BucketHistogram.in(registry, "c"))
        .withMessage("upper bounds: none (expected: at least one)");
    assertThat(registry.getMetrics()).isEmpty();
  }
}
