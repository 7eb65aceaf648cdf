package dev.meridian.core.routing;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * What to do when routes give no region weight: routing nowhere is the worst answer, since health
 * checks can be wrong and trying likely replicas beats failing every call (as Envoy's panic
 * threshold does). The failover controller applies the rule to a model's whole table, the gateway
 * to the regions it sees fit to answer an attempt; both with this one rule.
 *
 * <p>The candidates are the routes an operator is neither draining nor has drained: a drain is the
 * one way to route nowhere, and a region on its way out must not be handed the traffic it was being
 * relieved of. Each candidate is weighed by a capacity the caller supplies, as a list of measures
 * from the most telling to the least: the first measure that gives some candidate a positive
 * capacity decides, and the candidates it gives nothing drop out. So regions that look able to
 * serve are preferred to regions that merely have replicas, and regions without any are left out,
 * while a measure that knows nothing (zero everywhere) hands over to the next.
 */
public final class PanicRule {
  private PanicRule() {}

  /** Whether {@code routes} route nowhere, so that the rule applies: none has weight. */
  public static boolean routesNowhere(List<RegionRoute> routes) {
    for (RegionRoute route : routes) {
      if (route.getWeight() > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The panic candidates among {@code routes}, in their order, each with its panic weight.
   *
   * @param capacities measures of a route's capacity, the most telling first; values above {@link
   *     Integer#MAX_VALUE} are capped there
   * @return empty when no measure gives any candidate a capacity
   */
  public static List<RegionRoute> candidates(
      List<RegionRoute> routes, List<ToLongFunction<RegionRoute>> capacities) {
    List<RegionRoute> undrained = routes.stream().filter(route -> !drained(route)).toList();
    for (ToLongFunction<RegionRoute> capacity : capacities) {
      List<RegionRoute> weighed =
          undrained.stream()
              .filter(route -> capacity.applyAsLong(route) > 0)
              .map(route -> withWeight(route, capacity.applyAsLong(route)))
              .toList();
      if (!weighed.isEmpty()) {
        return weighed;
      }
    }
    return List.of();
  }

  private static boolean drained(RegionRoute route) {
    return route.getState() == RegionState.REGION_STATE_DRAINING
        || route.getState() == RegionState.REGION_STATE_DRAINED;
  }

  private static RegionRoute withWeight(RegionRoute route, long capacity) {
    return route.toBuilder().setWeight((int) Math.min(capacity, Integer.MAX_VALUE)).build();
  }
}
