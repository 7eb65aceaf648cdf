package dev.meridian.gateway.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.FakeTicker;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HedgeDelayTest {
  private final FakeTicker ticker = new FakeTicker();
  private final PolicyConfig config =
      PolicyConfig.builder()
          .hedgeMinDelay(Duration.ofMillis(10))
          .hedgeMaxDelay(Duration.ofMillis(250))
          .build();
  private final RegionPolicyRegistry policies =
      new RegionPolicyRegistry(config, (region, model, state) -> {}, ticker);
  private final HedgeDelay delay = new HedgeDelay(policies, config);

  private void answers(String region, int count, Duration each) {
    for (int i = 0; i < count; i++) {
      policies.forRoute(region, "m").latency().record(each);
    }
  }

  @Test
  void withoutEnoughAnswersTheUpperBoundApplies() {
    answers("eu", HedgeDelay.MIN_SAMPLES - 1, Duration.ofMillis(20));
    assertThat(delay.forRegion("eu", "m")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void theDelayIsTheRegionsHighPercentileWithinTheBounds() {
    answers("eu", 990, Duration.ofMillis(20));
    answers("eu", 10, Duration.ofMillis(90));
    assertThat(delay.forRegion("eu", "m").toMillis())
        .as("p99 of 99% at 20 ms and 1% at 90 ms")
        .isBetween(20L, 25L);

    answers("us", 100, Duration.ofMillis(1));
    assertThat(delay.forRegion("us", "m")).isEqualTo(Duration.ofMillis(10));
    answers("slow", 100, Duration.ofSeconds(2));
    assertThat(delay.forRegion("slow", "m")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aFrozenRegionKeepsTheDelayItHadAsItAnswersNothingNew() {
    answers("eu", 100, Duration.ofMillis(20));
    Duration before = delay.forRegion("eu", "m");
    ticker.advance(Duration.ofSeconds(3));
    assertThat(delay.forRegion("eu", "m")).isEqualTo(before);
  }
}
