package dev.meridian.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProbeClassifierTest {
  private final ProbeClassifier primary =
      new ProbeClassifier(Duration.ofMillis(50), Optional.empty());

  @Test
  void fastAnswerPasses() {
    assertThat(primary.classify(Status.OK, Duration.ofMillis(3)))
        .isEqualTo(
            new CheckUpdate(HealthStatus.PASSING, "probe answered in 3.0 ms (objective 50.0 ms)"));
  }

  @Test
  void slowAnswerWarnsWithTheLatency() {
    assertThat(primary.classify(Status.OK, Duration.ofMillis(80)))
        .isEqualTo(
            new CheckUpdate(
                HealthStatus.WARNING,
                "slow: probe answered in 80.0 ms, over the latency objective of 50.0 ms"));
  }

  @Test
  void errorIsCriticalWithTheStatus() {
    CheckUpdate update =
        primary.classify(Status.UNAVAILABLE.withDescription("io exception"), Duration.ofMillis(1));
    assertThat(update.status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(update.output()).isEqualTo("probe failed after 1.0 ms: UNAVAILABLE: io exception");
  }

  @Test
  void fullReplicaWarns() {
    assertThat(primary.classify(Status.RESOURCE_EXHAUSTED.withDescription("full"), Duration.ZERO))
        .isEqualTo(new CheckUpdate(HealthStatus.WARNING, "at its concurrency limit: full"));
  }

  @Test
  void fallbackWarnsAndSaysWhy() {
    ProbeClassifier onFallback =
        new ProbeClassifier(Duration.ofMillis(50), Optional.of("running on fallback model f"));
    assertThat(onFallback.classify(Status.OK, Duration.ofMillis(2)))
        .isEqualTo(
            new CheckUpdate(
                HealthStatus.WARNING, "running on fallback model f; probe answered in 2.0 ms"));
  }

  @Test
  void probeScheduleStaysWithinIntervalPlusJitter() {
    ProbeSchedule schedule =
        new ProbeSchedule(Duration.ofSeconds(1), Duration.ofMillis(200), new SplittableRandom(7));
    for (int i = 0; i < 100; i++) {
      assertThat(schedule.next()).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1200));
      assertThat(schedule.first()).isBetween(Duration.ZERO, Duration.ofMillis(200));
    }
    assertThat(
            new ProbeSchedule(Duration.ofSeconds(1), Duration.ZERO, new SplittableRandom()).next())
        .isEqualTo(Duration.ofSeconds(1));
  }
}
