package dev.meridian.controller.routing;

import dev.meridian.core.Ticker;
import dev.meridian.core.routing.PanicRule;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Computes one model's routing table from what each region reports and the operators' drains: one
 * {@link RegionTracker} per region, then the shared {@link PanicRule}. The table it returns carries
 * the routes only; the writer stamps version, epoch and time. Not thread-safe: the controller calls
 * it from its single routing thread.
 */
public final class ModelRouter {
  private final String model;
  private final Ticker ticker;
  private final Map<String, RegionTracker> trackers = new LinkedHashMap<>();

  /** A router for {@code model} across {@code regions}, listed in table order. */
  public ModelRouter(String model, List<String> regions, RoutingPolicy policy, Ticker ticker) {
    this.model = model;
    this.ticker = ticker;
    regions.forEach(region -> trackers.put(region, new RegionTracker(region, policy)));
  }

  /**
   * Continues from a previous leader's table: each region starts at the weight it had there, so a
   * region that was still regaining weight keeps regaining it instead of jumping to full. Panic
   * weights are not a region's own and are ignored.
   */
  public void seed(RoutingTable previous) {
    if (previous.getPanic()) {
      return;
    }
    for (RegionRoute route : previous.getRegionsList()) {
      RegionTracker tracker = trackers.get(route.getRegion());
      if (tracker != null) {
        tracker.seed(Integer.toUnsignedLong(route.getWeight()));
      }
    }
  }

  /** The table now, given each region's observation (absent: no replicas) and drains. */
  public RoutingTable compute(
      Map<String, RegionObservation> observations, Map<String, Drain> drains) {
    long now = ticker.nanoTime();
    Map<String, RegionObservation> complete = new LinkedHashMap<>();
    RoutingTable.Builder table = RoutingTable.newBuilder().setModelName(model);
    trackers.forEach(
        (region, tracker) -> {
          RegionObservation observed = observations.getOrDefault(region, RegionObservation.NONE);
          complete.put(region, observed);
          table.addRegions(tracker.route(observed, Optional.ofNullable(drains.get(region)), now));
        });
    return panic(table.build(), complete);
  }

  /**
   * Applies the {@link PanicRule} when the table gives no region weight, weighing each candidate by
   * what the controller observes directly: the healthy capacity of its serving replicas, so that
   * regions still held back after recovering come first; failing any, the capacity of every replica
   * it has registered. The table then says it is in panic, and each candidate's reason says why it
   * has weight.
   */
  private static RoutingTable panic(
      RoutingTable table, Map<String, RegionObservation> observations) {
    if (!PanicRule.routesNowhere(table.getRegionsList())) {
      return table;
    }
    List<ToLongFunction<RegionRoute>> capacities =
        List.of(
            route -> observations.get(route.getRegion()).healthyCapacity(),
            route -> observations.get(route.getRegion()).totalCapacity());
    Map<String, RegionRoute> candidates =
        PanicRule.candidates(table.getRegionsList(), capacities).stream()
            .collect(Collectors.toMap(RegionRoute::getRegion, Function.identity()));
    RoutingTable.Builder panic = table.toBuilder().setPanic(true);
    for (int i = 0; i < panic.getRegionsCount(); i++) {
      RegionRoute candidate = candidates.get(panic.getRegions(i).getRegion());
      if (candidate != null) {
        panic.setRegions(
            i,
            candidate.toBuilder()
                .setReason("panic, every region unhealthy: " + candidate.getReason()));
      }
    }
    return panic.build();
  }
}
