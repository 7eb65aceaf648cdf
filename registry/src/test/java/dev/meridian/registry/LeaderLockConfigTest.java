package dev.meridian.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The leader lock's settings are checked by the same rules a config file's leader keys are. */
class LeaderLockConfigTest {
  private static LeaderLockConfig withTtl(Duration ttl) {
    return of(ttl, Duration.ofSeconds(15));
  }

  private static LeaderLockConfig of(Duration ttl, Duration lockDelay) {
    return LeaderLockConfig.of("meridian/leader", "dc1", "ctl:7400", ttl, lockDelay);
  }

  @Test
  void sessionTtlIsWhatConsulAccepts() {
    assertThat(withTtl(Duration.ofSeconds(30)).sessionTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> withTtl(Duration.ofMinutes(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leader.session-ttl: 3m (expected: 10s..2m)");
    assertThatThrownBy(() -> withTtl(Duration.ZERO))
        .hasMessage("leader.session-ttl: 0ms (expected: 10s..2m)");
  }

  @Test
  void lockDelayMustOutlastADeposedLeadersBelief() {
    assertThatThrownBy(() -> of(Duration.ofSeconds(10), Duration.ofSeconds(1)))
        .hasMessage(
            "leader.lock-delay: 1s (expected: >= leader.session-ttl / 2 = 5s, so that a deposed"
                + " leader has stopped before another takes the lock)");
  }

  @Test
  void lockDelayIsWhatConsulAccepts() {
    assertThatThrownBy(() -> of(Duration.ofSeconds(15), Duration.ofSeconds(61)))
        .hasMessage("leader.lock-delay: 61s (expected: 0ms..1m)");
  }

  @Test
  void usualTimingRetriesAtTheDefaultInterval() {
    assertThat(withTtl(Duration.ofSeconds(30)).retryInterval())
        .isEqualTo(LeaderLockConfig.RETRY_INTERVAL.defaultValue());
    assertThat(withTtl(Duration.ofSeconds(30)).renewInterval()).isEqualTo(Duration.ofSeconds(10));
  }
}
