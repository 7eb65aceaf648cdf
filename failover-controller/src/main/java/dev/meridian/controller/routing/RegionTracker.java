package dev.meridian.controller.routing;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import java.util.Optional;

/**
 * One region's route for one model over time: damps its capacity ({@link CapacityDamper}), applies
 * an operator's drain as a stepped ramp down (held by the {@link DrainPacer} while the other
 * regions lack headroom, which the reason then says), and names the resulting state with a reason.
 * Not thread-safe: owned by one {@link ModelRouter}.
 */
final class RegionTracker {
  private final String region;
  private final RoutingPolicy policy;
  private final CapacityDamper damper;
  private final StepRamp drainRamp;
  private long lastWeight;
  private boolean wasDrained;

  RegionTracker(String region, RoutingPolicy policy) {
    this.region = region;
    this.policy = policy;
    this.damper =
        new CapacityDamper(
            policy.recoveryHold(), new StepRamp(policy.recoveryRamp(), policy.recoverySteps()));
    this.drainRamp = new StepRamp(policy.drainRamp(), policy.drainSteps());
  }

  /** Starts from the weight a previous leader gave the region, so a hand-over does not jump. */
  void seed(long weight) {
    damper.resetTo(weight);
  }

  /** The region's route at {@code nowNanos}. */
  RegionRoute route(RegionObservation observed, Optional<Drain> drain, long nowNanos) {
    if (wasDrained && drain.isEmpty()) {
      // An undrained region comes back like a recovering one: after the hold, in steps.
      damper.resetTo(lastWeight);
    }
    wasDrained = drain.isPresent();
    long capacity = damper.update(observed.healthyCapacity(), nowNanos);
    RegionRoute.Builder route =
        RegionRoute.newBuilder()
            .setRegion(region)
            .setHealthyReplicas(observed.servingReplicas())
            .setTotalReplicas(observed.totalReplicas());
    if (drain.isPresent()) {
      int taken = drainRamp.stepsTaken(nowNanos - drain.get().startNanos());
      long weight = drainRamp.valueAt(capacity, 0, nowNanos - drain.get().startNanos());
      boolean done = taken == drainRamp.steps();
      route
          .setState(done ? RegionState.REGION_STATE_DRAINED : RegionState.REGION_STATE_DRAINING)
          .setReason(
              done
                  ? drain.get().describe("drained")
                  : drain.get().describe("draining")
                      + " (step "
                      + taken
                      + "/"
                      + drainRamp.steps()
                      + (drain.get().pause().isEmpty() ? "" : "; " + drain.get().pause())
                      + ")");
      return finish(route, weight);
    }
    if (observed.totalReplicas() == 0) {
      return finish(
          route.setState(RegionState.REGION_STATE_DOWN).setReason("no replicas registered"), 0);
    }
    if (observed.servingReplicas() == 0) {
      return finish(route.setState(RegionState.REGION_STATE_DOWN).setReason(observed.serving()), 0);
    }
    boolean degraded = capacity < policy.degradedBelow() * observed.totalCapacity();
    String reason =
        observed.serving()
            + (damper.recovering()
                ? ", regaining weight (" + capacity + " of " + observed.healthyCapacity() + ")"
                : "");
    return finish(
        route
            .setState(
                degraded ? RegionState.REGION_STATE_DEGRADED : RegionState.REGION_STATE_ACTIVE)
            .setReason(reason),
        capacity);
  }

  private RegionRoute finish(RegionRoute.Builder route, long weight) {
    lastWeight = weight;
    return route.setWeight((int) Math.min(weight, Integer.MAX_VALUE)).build();
  }
}
