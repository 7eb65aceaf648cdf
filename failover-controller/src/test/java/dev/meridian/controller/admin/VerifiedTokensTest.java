package dev.meridian.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cache of verified tokens: bounded in time and in size. */
class VerifiedTokensTest {
  private final FakeTicker ticker = new FakeTicker();
  private final VerifiedTokens cache = new VerifiedTokens(ticker, Duration.ofMinutes(5), 2);
  private final Operator alice = Operator.withCertificate("alice", Role.VIEWER, "alice");

  @Test
  void forgetsATokenAfterItsTime() {
    cache.put("t", alice);
    ticker.advance(Duration.ofMinutes(4));
    assertThat(cache.get("t")).hasValue(alice);
    assertThat(cache.get("other")).isEmpty();

    ticker.advance(Duration.ofMinutes(1));
    assertThat(cache.get("t")).isEmpty();
  }

  @Test
  void forgetsTheLeastRecentlyUsedTokenPastItsSize() {
    cache.put("a", alice);
    cache.put("b", alice);
    cache.get("a");
    cache.put("c", alice);

    assertThat(cache.get("a")).isPresent();
    assertThat(cache.get("b")).isEmpty();
    assertThat(cache.get("c")).isPresent();
  }
}
