package dev.meridian.deploy.e2e;

import dev.meridian.deploy.topology.TopologyPlan;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * The state every scenario starts from and returns to: every replica registered and passing in
 * every region, a controller leading, and each region ACTIVE (full weight) in the main model's
 * routing table, which is what the gateway follows.
 */
final class SteadyState {
  private final TopologyPlan plan;
  private final ConsulView consul;

  SteadyState(TopologyPlan plan, ConsulView consul) {
    this.plan = plan;
    this.consul = consul;
  }

  /** Whether the topology is whole now; false too while Consul does not answer. */
  boolean holds() {
    try {
      return consul.leader().isPresent() && plan.regions().stream().allMatch(this::regionWhole);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Waits until the topology is whole and returns how long that took.
   *
   * @throws org.awaitility.core.ConditionTimeoutException after {@code atMost}
   */
  Duration await(Duration atMost) {
    long start = System.nanoTime();
    Awaitility.await("every replica passing, a leader, every region ACTIVE")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(this::holds);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private boolean regionWhole(String region) {
    long model = passing(region, DemoModels.MODEL);
    long fallback = passing(region, DemoModels.FALLBACK);
    return model == plan.replicas()
        && fallback == 1
        && "REGION_STATE_ACTIVE".equals(consul.regionStates(DemoModels.MODEL).get(region));
  }

  private long passing(String region, String model) {
    return consul.replicas(region, model).stream().filter(ConsulView.Replica::passing).count();
  }
}
