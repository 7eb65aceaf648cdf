package dev.meridian.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failsafe.CircuitBreaker;
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
          PolicyConfig.defaults(), (region, state) -> transitions.add(region + " " + state));

  @Test
  void halfOpenLetsOnlyTheConfiguredTrialCallsThroughUnderConcurrentLoad() throws Exception {
    RegionPolicies policies = registry.forRegion("eu-west");
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
    RegionPolicies policies = registry.forRegion("us-east");
    for (int i = 0; i < 5; i++) {
      assertThat(policies.admit()).isEqualTo(RegionPolicies.Admission.ADMITTED);
      policies.recordSuccess(Duration.ofMillis(5));
    }
    for (int i = 0; i < 5; i++) {
      assertThat(policies.admit()).isEqualTo(RegionPolicies.Admission.ADMITTED);
      policies.recordSuccess(Duration.ofSeconds(3));
    }

    assertThat(policies.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(policies.admit()).isEqualTo(RegionPolicies.Admission.BREAKER_OPEN);
    assertThat(transitions).containsExactly("us-east OPEN");
  }

  @Test
  void fullBulkheadRefusesWithoutTakingABreakerPermit() throws Exception {
    PolicyConfig one = PolicyConfig.builder().breakerTrialCalls(1).bulkheadMaxConcurrent(1).build();
    RegionPolicies policies = new RegionPolicyRegistry(one, (r, s) -> {}).forRegion("eu-west");
    policies.breaker().halfOpen();

    assertThat(policies.admit()).isEqualTo(RegionPolicies.Admission.ADMITTED);
    assertThat(policies.admit()).isEqualTo(RegionPolicies.Admission.BULKHEAD_FULL);
    assertThat(policies.breaker().isHalfOpen()).isTrue();
    policies.recordNeutral();
    assertThat(policies.breaker().isClosed()).as("the one trial call succeeded").isTrue();
  }
}
