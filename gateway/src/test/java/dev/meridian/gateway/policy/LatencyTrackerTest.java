package dev.meridian.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyTrackerTest {
  private final FakeTicker ticker = new FakeTicker();
  private final LatencyTracker tracker = new LatencyTracker(Duration.ofSeconds(5), ticker);

  @Test
  void percentilesAreWithinTheirBucketOfTheTruth() {
    for (int ms = 1; ms <= 100; ms++) {
      tracker.record(Duration.ofMillis(ms));
    }
    assertThat(tracker.percentile(50, 10).orElseThrow().toMillis()).isBetween(50L, 60L);
    assertThat(tracker.percentile(99, 10).orElseThrow().toMillis()).isBetween(99L, 119L);
    assertThat(tracker.percentile(100, 10).orElseThrow().toMillis()).isBetween(100L, 120L);
  }

  @Test
  void tooFewAnswersGiveNoEstimate() {
    tracker.record(Duration.ofMillis(3));
    assertThat(tracker.percentile(99, 2)).isEmpty();
    tracker.record(Duration.ofMillis(3));
    assertThat(tracker.percentile(99, 2)).isPresent();
  }

  @Test
  void answersCountForOneToTwoWindowsOnTheInjectedClock() {
    for (int i = 0; i < 20; i++) {
      tracker.record(Duration.ofMillis(400));
    }
    ticker.advance(Duration.ofSeconds(6));
    for (int i = 0; i < 20; i++) {
      tracker.record(Duration.ofMillis(10));
    }
    assertThat(tracker.percentile(90, 1).orElseThrow().toMillis())
        .as("the previous window still counts")
        .isGreaterThanOrEqualTo(400);

    ticker.advance(Duration.ofSeconds(5));
    assertThat(tracker.percentile(90, 1).orElseThrow().toMillis())
        .as("only the 10 ms answers are recent")
        .isBetween(10L, 12L);

    ticker.advance(Duration.ofSeconds(10));
    assertThat(tracker.percentile(90, 1)).as("a quiet region has no estimate").isEmpty();
  }
}
