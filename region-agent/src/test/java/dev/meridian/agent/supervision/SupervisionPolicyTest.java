package dev.meridian.agent.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.config.RestartConfig;
import dev.meridian.core.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SupervisionPolicyTest {
  private final FakeTicker ticker = new FakeTicker();
  private final SupervisionPolicy policy =
      new SupervisionPolicy(
          new RestartConfig(
              Duration.ofMillis(100), Duration.ofMillis(500), 5, Duration.ofMinutes(1)),
          ticker);

  /** Starts the replica, lets it run for {@code ranFor}, and returns the decision on its exit. */
  private RestartDecision crashAfter(Duration ranFor) {
    policy.started();
    ticker.advance(ranFor);
    return policy.stopped();
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    assertThat(crashAfter(Duration.ofSeconds(1)))
        .isEqualTo(new RestartDecision.Restart(Duration.ofMillis(100), 1));
    assertThat(crashAfter(Duration.ofSeconds(1)))
        .isEqualTo(new RestartDecision.Restart(Duration.ofMillis(200), 2));
    assertThat(crashAfter(Duration.ofSeconds(1)))
        .isEqualTo(new RestartDecision.Restart(Duration.ofMillis(400), 3));
    assertThat(crashAfter(Duration.ofSeconds(1)))
        .isEqualTo(new RestartDecision.Restart(Duration.ofMillis(500), 4));
  }

  @Test
  void aRunAsLongAsTheWindowResetsTheBackoff() {
    crashAfter(Duration.ofSeconds(1));
    crashAfter(Duration.ofSeconds(1));
    assertThat(crashAfter(Duration.ofMinutes(1)))
        .isEqualTo(new RestartDecision.Restart(Duration.ofMillis(100), 1));
  }

  @Test
  void failedStartsCountAsQuickCrashes() {
    assertThat(policy.stopped()).isEqualTo(new RestartDecision.Restart(Duration.ofMillis(100), 1));
    assertThat(policy.stopped()).isEqualTo(new RestartDecision.Restart(Duration.ofMillis(200), 2));
  }

  @Test
  void theRestartLimitWithinTheWindowIsACrashLoop() {
    for (int i = 0; i < 5; i++) {
      assertThat(crashAfter(Duration.ofSeconds(5))).isInstanceOf(RestartDecision.Restart.class);
    }
    RestartDecision decision = crashAfter(Duration.ofSeconds(5));
    assertThat(decision).isInstanceOf(RestartDecision.GiveUp.class);
    assertThat(((RestartDecision.GiveUp) decision).reason())
        .isEqualTo("crash loop: 5 restarts within 60000ms; gave up restarting");
  }

  @Test
  void restartsOlderThanTheWindowNoLongerCount() {
    for (int i = 0; i < 4; i++) {
      crashAfter(Duration.ofSeconds(5)); // restarts at 5s, 10s, 15s and 20s
    }
    assertThat(crashAfter(Duration.ofSeconds(46))).isInstanceOf(RestartDecision.Restart.class);
    // At 67s the restart at 5s has left the window: 4 remain in it, under the limit of 5.
    assertThat(crashAfter(Duration.ofSeconds(1))).isInstanceOf(RestartDecision.Restart.class);
    assertThat(crashAfter(Duration.ofSeconds(1))).isInstanceOf(RestartDecision.GiveUp.class);
  }
}
