package dev.meridian.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-peer limit on failed authentications. */
class FailureLimiterTest {
  private final FakeTicker ticker = new FakeTicker();
  private final FailureLimiter limiter = new FailureLimiter(2, Duration.ofSeconds(10), ticker);

  @Test
  void blocksAPeerAfterItsBurstUntilItsBucketRefills() {
    limiter.failed("10.0.0.1");
    assertThat(limiter.allows("10.0.0.1")).isTrue();
    limiter.failed("10.0.0.1");
    assertThat(limiter.allows("10.0.0.1")).isFalse();
    assertThat(limiter.allows("10.0.0.2")).as("another peer").isTrue();

    ticker.advance(Duration.ofSeconds(9));
    assertThat(limiter.allows("10.0.0.1")).isFalse();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(limiter.allows("10.0.0.1")).isTrue();
    limiter.failed("10.0.0.1");
    assertThat(limiter.allows("10.0.0.1")).isFalse();
  }

  @Test
  void summarisesRefusalsOncePerInterval() {
    limiter.failed("10.0.0.1");
    limiter.failed("10.0.0.1");

    assertThat(limiter.refused("10.0.0.1")).isEqualTo(1);
    assertThat(limiter.refused("10.0.0.1")).isZero();
    assertThat(limiter.refused("10.0.0.1")).isZero();
    ticker.advance(FailureLimiter.SUMMARY_INTERVAL);
    assertThat(limiter.refused("10.0.0.1")).isEqualTo(3);
  }

  @Test
  void remembersABoundedNumberOfPeers() {
    for (int i = 0; i <= FailureLimiter.MAX_PEERS; i++) {
      limiter.failed("peer-" + i);
      limiter.failed("peer-" + i);
    }

    assertThat(limiter.allows("peer-0")).as("forgotten, the eldest").isTrue();
    assertThat(limiter.allows("peer-" + FailureLimiter.MAX_PEERS)).isFalse();
  }
}
