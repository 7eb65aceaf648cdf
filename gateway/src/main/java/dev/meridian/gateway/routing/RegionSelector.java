package dev.meridian.gateway.routing;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Chooses the region of an attempt: at random in proportion to the routing table's weights,
 * preferring regions not yet tried for this call, among those with an untried healthy replica of
 * the model. Regions with weight 0 (drained, down) get no new calls, unless the table gives no
 * reachable region any weight: then every reachable region an operator has not drained gets an
 * equal share. Stateless apart from the injected randomness, hence thread-safe.
 */
public final class RegionSelector {
  private final RoutingState state;
  private final DoubleSupplier random;

  /**
   * Creates a selector.
   *
   * @param random uniform values in [0, 1), injected so tests are deterministic
   */
  public RegionSelector(RoutingState state, DoubleSupplier random) {
    this.state = state;
    this.random = random;
  }

  /**
   * Picks a region for {@code table}'s model: among regions not yet tried if any can take the call,
   * else among tried regions that still have an untried replica (so a call whose other regions are
   * drained still moves off a dead replica).
   *
   * @return empty when no region has an untried healthy replica
   */
  public Optional<String> pick(
      RoutingTable table, Set<String> triedRegions, Set<String> triedReplicas) {
    List<RegionRoute> reachable =
        table.getRegionsList().stream()
            .filter(
                route ->
                    state.replicas(route.getRegion(), table.getModelName()).stream()
                        .anyMatch(replica -> !triedReplicas.contains(replica.id())))
            .toList();
    List<RegionRoute> open = reachable.stream().filter(route -> route.getWeight() > 0).toList();
    if (open.isEmpty()) {
      open = panic(reachable);
    }
    List<RegionRoute> untried =
        open.stream().filter(route -> !triedRegions.contains(route.getRegion())).toList();
    return weighted(untried.isEmpty() ? open : untried);
  }

  /**
   * A table that routes nowhere (every weight 0) while replicas answer health checks is more likely
   * a controller that saw an empty Consul than a fleet that is down: try every region an operator
   * has not drained, equally, rather than fail every call.
   */
  private static List<RegionRoute> panic(List<RegionRoute> reachable) {
    return reachable.stream()
        .filter(route -> route.getState() != RegionState.REGION_STATE_DRAINED)
        .map(route -> route.toBuilder().setWeight(1).build())
        .toList();
  }

  private Optional<String> weighted(List<RegionRoute> candidates) {
    long total = candidates.stream().mapToLong(RegionRoute::getWeight).sum();
    if (total == 0) {
      return Optional.empty();
    }
    double point = random.getAsDouble() * total;
    for (RegionRoute route : candidates) {
      point -= route.getWeight();
      if (point < 0) {
        return Optional.of(route.getRegion());
      }
    }
    return Optional.of(candidates.get(candidates.size() - 1).getRegion());
  }
}
