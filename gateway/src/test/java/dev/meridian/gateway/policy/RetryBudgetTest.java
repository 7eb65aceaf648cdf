package dev.meridian.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  @Test
  void retriesAreCappedAtTheRatioWhenHalfTheCallsFail() {
    FakeTicker ticker = new FakeTicker();
    RetryBudget budget = new RetryBudget(0.2, 0, ticker);
    int calls = 10_000;
    int attempts = 0;
    for (int call = 0; call < calls; call++) {
      budget.recordCall();
      attempts++;
      boolean firstAttemptFails = call % 2 == 0;
      if (firstAttemptFails && budget.tryAcquireRetry()) {
        attempts++;
      }
    }
    double attemptsPerCall = (double) attempts / calls;
    System.out.printf(
        "retry budget 0.2, half the calls failing: %.3f attempts per call%n", attemptsPerCall);
    assertThat(attemptsPerCall).isBetween(1.19, 1.21);
  }

  @Test
  void reserveAllowsAFewRetriesPerSecondOnTheInjectedClock() {
    FakeTicker ticker = new FakeTicker();
    RetryBudget budget = new RetryBudget(0.0, 2, ticker);

    assertThat(budget.tryAcquireRetry()).isTrue();
    assertThat(budget.tryAcquireRetry()).isTrue();
    assertThat(budget.tryAcquireRetry()).as("reserve spent").isFalse();

    ticker.advance(Duration.ofMillis(500));
    assertThat(budget.tryAcquireRetry()).as("one retry earned in half a second").isTrue();
    assertThat(budget.tryAcquireRetry()).isFalse();

    ticker.advance(Duration.ofMinutes(5));
    assertThat(budget.tryAcquireRetry()).isTrue();
    assertThat(budget.tryAcquireRetry()).isTrue();
    assertThat(budget.tryAcquireRetry()).as("the reserve is capped").isFalse();
  }

  @Test
  void aFaultAfterSteadyTrafficFindsTheBudgetTheTrafficEarned() {
    FakeTicker ticker = new FakeTicker();
    RetryBudget budget = new RetryBudget(0.2, 0, ticker);
    for (int second = 0; second < 10; second++) {
      for (int call = 0; call < 200; call++) {
        budget.recordCall();
      }
      ticker.advance(Duration.ofSeconds(1));
    }
    // Ten seconds of 200 calls/s earned 20% of 1800 calls still in the window.
    int retries = 0;
    while (budget.tryAcquireRetry()) {
      retries++;
    }
    assertThat(retries).isEqualTo(360);
  }

  @Test
  void earningsExpireAfterTenSeconds() {
    FakeTicker ticker = new FakeTicker();
    RetryBudget budget = new RetryBudget(0.5, 0, ticker);
    for (int call = 0; call < 100; call++) {
      budget.recordCall();
    }
    ticker.advance(Duration.ofSeconds(10));
    assertThat(budget.tryAcquireRetry()).isFalse();
  }
}
