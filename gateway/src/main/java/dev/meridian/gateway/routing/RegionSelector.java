package dev.meridian.gateway.routing;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Chooses the region of an attempt: at random in proportion to the routing table's weights, among
 * regions not yet tried for this call that have a healthy replica of the model. Regions with weight
 * 0 (drained, down) get no new calls. Stateless apart from the injected randomness, hence
 * thread-safe.
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

  /** Picks a region for {@code table}'s model, or empty when no untried region can take it. */
  public Optional<String> pick(RoutingTable table, Set<String> tried) {
    List<RegionRoute> candidates =
        table.getRegionsList().stream()
            .filter(route -> route.getWeight() > 0)
            .filter(route -> !tried.contains(route.getRegion()))
            .filter(route -> !state.replicas(route.getRegion(), table.getModelName()).isEmpty())
            .toList();
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
