package dev.meridian.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failsafe.CircuitBreaker;
import dev.meridian.core.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RegionPoliciesTest {
  private final List<String> transitions = new ArrayList<>();
  private final RegionPolicyRegistry registry =
      new RegionPolicyRegistry(
          PolicyConfig.defaults(),
          (region, model, state) -> transitions.add(region + " " + model + " " + state),
          new FakeTicker());

  @Test
  void halfOpenLetsOnlyTheConfiguredTrialCallsThroughUnderConcurrentLoad() throws Exception {
    RegionPolicies policies = registry.forRoute("eu-west", "m");
    policies.breaker().halfOpen();
    int threads = 32;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<RegionPolicies.Admission>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<RegionPolicies.Admission> admit =
            () -> {
              start.await();
              return policies.admit();
            };
        results.add(pool.submit(admit));
      }
      int admitted = 0;
      for (Future<RegionPolicies.Admission> result : results) {
        if (result.get() == RegionPolicies.Admission.ADMITTED) {
          admitted++;
        } else {
          assertThat(result.get()).isEqualTo(RegionPolicies.Admission.BREAKER_OPEN);
        }
      }
      assertThat(admitted).isEqualTo(PolicyConfig.defaults().breakerTrialCalls());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void failuresOpenTheBreakerAndSlowCallsCountAsFailures() throws Exception {
    RegionPolicies policies = registry.forRoute("us-east", "m");
    // Alternating, so the rate (50% of 10 calls) opens it, not failures in a row.
    for (int i = 0; i < 5; i++) {
      assertThat(policies.admit()).isEqualTo(RegionPolicies.Admission.ADMITTED);
      policies.recordSuccess(Duration.ofMillis(5));
      assertThat(policies.admit()).isEqualTo(RegionPolicies.Admission.ADMITTED);
      policies.recordSuccess(Duration.ofSeconds(3));
    }

    assertThat(policies.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(policies.admit()).isEqualTo(RegionPolicies.Admission.BREAKER_OPEN);
    assertThat(policies.available()).isFalse();
    assertThat(transitions).containsExactly("us-east m OPEN");
  }

  @Test
  void failuresInARowOpenTheBreakerLongBeforeTheRateOverAFullWindowWould() throws Exception {
    RegionPolicies policies = registry.forRoute("us-east", "m");
    for (int i = 0; i < 100; i++) {
      policies.admit();
      policies.recordSuccess(Duration.ofMillis(5));
    }
    int consecutive = PolicyConfig.defaults().breakerConsecutiveFailures();
    for (int i = 0; i < consecutive - 1; i++) {
      policies.admit();
      policies.recordFailure();
    }
    assertThat(policies.breaker().isClosed()).as("4 failures in 104 calls").isTrue();

    policies.admit();
    policies.recordFailure();

    assertThat(policies.breaker().isOpen()).isTrue();
    assertThat(registry.forRoute("us-east", "other").breaker().isClosed())
        .as("each model of a region has its own breaker")
        .isTrue();
  }

  @Test
  void fullBulkheadRefusesWithoutTakingABreakerPermit() throws Exception {
    PolicyConfig one = PolicyConfig.builder().breakerTrialCalls(1).bulkheadMaxConcurrent(1).build();
    RegionPolicies policies =
        new RegionPolicyRegistry(one, (r, m, s) -> {}, new FakeTicker()).forRoute("eu-west", "m");
    policies.breaker().halfOpen();

    assertThat(policies.admit()).isEqualTo(RegionPolicies.Admission.ADMITTED);
    assertThat(policies.admit()).isEqualTo(RegionPolicies.Admission.BULKHEAD_FULL);
    assertThat(policies.breaker().isHalfOpen()).isTrue();
    policies.recordSuccess(Duration.ofMillis(5));
    assertThat(policies.breaker().isClosed()).as("the one trial call was answered").isTrue();
  }

  @Test
  void onlyAnAnswerIsASuccessfulHalfOpenTrial() throws Exception {
    PolicyConfig one = PolicyConfig.builder().breakerTrialCalls(1).build();
    RegionPolicies policies =
        new RegionPolicyRegistry(one, (r, m, s) -> {}, new FakeTicker()).forRoute("eu-west", "m");
    policies.breaker().halfOpen();

    assertThat(policies.admit()).isEqualTo(RegionPolicies.Admission.ADMITTED);
    policies.recordNoAnswer(); // the caller left, or the trial lost to its hedge

    assertThat(policies.breaker().isOpen()).as("a trial without an answer is no success").isTrue();
    policies.breaker().halfOpen();
    policies.admit();
    policies.recordModelError(); // a model's own error is an answer from the region
    assertThat(policies.breaker().isClosed()).isTrue();
  }

  @Test
  void noAnswerWhileClosedSaysNothingAboutTheRegion() throws Exception {
    RegionPolicies policies = registry.forRoute("eu-west", "m");
    for (int i = 0; i < 50; i++) {
      policies.admit();
      policies.recordNoAnswer();
    }
    assertThat(policies.breaker().isClosed()).isTrue();
    assertThat(policies.breaker().getExecutionCount()).isZero();
  }
}
