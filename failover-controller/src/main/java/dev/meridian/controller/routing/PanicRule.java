package dev.meridian.controller.routing;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * When no region of a model has weight, routing nowhere is the worst answer: health checks can be
 * wrong, and a gateway trying likely replicas beats one failing every call. So the table keeps the
 * best candidates and says it is in panic (as Envoy's panic threshold does). The best candidates
 * are the regions with serving (passing or warning) replicas whose weight is still held back,
 * weighted by healthy capacity; failing those, every region with registered replicas, weighted by
 * registered capacity. Drained regions are never candidates: an operator's forced drain is the one
 * way to route nowhere.
 */
final class PanicRule {
  private PanicRule() {}

  /** Applies the rule to a table whose routes are computed from {@code observations}. */
  static RoutingTable apply(RoutingTable table, Map<String, RegionObservation> observations) {
    if (table.getRegionsList().stream().anyMatch(route -> route.getWeight() > 0)) {
      return table;
    }
    List<RegionRoute> candidates =
        table.getRegionsList().stream()
            .filter(route -> !isDrained(route.getState()) && route.getTotalReplicas() > 0)
            .toList();
    boolean anyServing = candidates.stream().anyMatch(route -> route.getHealthyReplicas() > 0);
    ToLongFunction<RegionObservation> weight =
        anyServing ? RegionObservation::healthyCapacity : RegionObservation::totalCapacity;
    RoutingTable.Builder panic = table.toBuilder().setPanic(true);
    for (int i = 0; i < panic.getRegionsCount(); i++) {
      RegionRoute route = panic.getRegions(i);
      if (candidates.contains(route) && (!anyServing || route.getHealthyReplicas() > 0)) {
        long capacity = weight.applyAsLong(observations.get(route.getRegion()));
        panic.setRegions(
            i,
            route.toBuilder()
                .setWeight((int) Math.min(capacity, Integer.MAX_VALUE))
                .setReason("panic, every region unhealthy: " + route.getReason()));
      }
    }
    return panic.build();
  }

  private static boolean isDrained(RegionState state) {
    return state == RegionState.REGION_STATE_DRAINING || state == RegionState.REGION_STATE_DRAINED;
  }
}
