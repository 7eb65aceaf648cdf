package dev.meridian.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pure timing and index rules behind watches and the leader lock, on a fake clock. */
class TimingRulesTest {
  @Test
  void watchIndexFollowsConsulRules() {
    assertThat(WatchIndex.next(0, 42)).isEqualTo(42);
    assertThat(WatchIndex.next(42, 42)).isEqualTo(42);
    assertThat(WatchIndex.next(42, 7)).as("index went backwards: reset").isZero();
    assertThat(WatchIndex.next(0, 0)).as("never below 1").isEqualTo(1);
    assertThat(WatchIndex.next(0, -3)).isEqualTo(1);
  }

  @Test
  void backoffGrowsExponentiallyWithinJitterBoundsAndCaps() {
    Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.0);
    Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.999999);

    assertThat(low.delay(1)).isEqualTo(Duration.ofMillis(50));
    assertThat(high.delay(1)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
    assertThat(low.delay(3)).isEqualTo(Duration.ofMillis(200));
    assertThat(low.delay(30)).isEqualTo(Duration.ofMillis(500));
    assertThat(high.delay(30)).isLessThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void leaseExpiresHalfATtlAfterTheLastRenewalWasSent() {
    FakeTicker ticker = new FakeTicker();
    LeaderLease lease = new LeaderLease(Duration.ofSeconds(10), ticker);
    assertThat(lease.isValid()).as("never renewed").isFalse();

    long sent = ticker.nanoTime();
    ticker.advance(Duration.ofSeconds(1));
    lease.renewed(sent);
    assertThat(lease.isValid()).isTrue();

    ticker.advance(Duration.ofMillis(3_999));
    assertThat(lease.isValid()).isTrue();
    ticker.advance(Duration.ofMillis(1));
    assertThat(lease.isValid()).as("5 s after the renewal was sent").isFalse();

    lease.renewed(ticker.nanoTime());
    lease.drop();
    assertThat(lease.isValid()).isFalse();
  }

  @Test
  void lockDelayIsSentInTheUnitConsulReadsItIn() {
    assertThat(ConsulSessions.lockDelayValue(Duration.ofSeconds(15))).isEqualTo(15);
    assertThat(ConsulSessions.lockDelayValue(Duration.ofMillis(1500))).isEqualTo(1_500_000_000L);
    assertThat(ConsulSessions.lockDelayValue(Duration.ZERO)).isZero();
  }

  @Test
  void durationsAreWrittenAsGoDurations() {
    assertThat(GoDurations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(GoDurations.format(Duration.ofMillis(250))).isEqualTo("250ms");
  }
}
