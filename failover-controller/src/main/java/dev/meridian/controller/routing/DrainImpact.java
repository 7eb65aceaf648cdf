package dev.meridian.controller.routing;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What draining a region would do to the current tables: the tables once the drain has run its
 * ramp, and the models it would leave with no serving region. A region serves a model when it has
 * weight of its own (not panic weight) and is ACTIVE or DEGRADED; a region already draining is on
 * its way out and does not count. Immutable.
 *
 * @param tables the tables with the region drained
 * @param unserved one line per model the drain would leave unserved, saying what the other regions
 *     are doing
 */
public record DrainImpact(List<RoutingTable> tables, List<String> unserved) {

  /** Copies the lists. */
  public DrainImpact {
    tables = List.copyOf(tables);
    unserved = List.copyOf(unserved);
  }

  /** Projects a drain of {@code region} ({@code reason} for its route) onto {@code current}. */
  public static DrainImpact of(List<RoutingTable> current, String region, String reason) {
    List<RoutingTable> projected = new ArrayList<>();
    List<String> unserved = new ArrayList<>();
    for (RoutingTable table : current) {
      RoutingTable.Builder drained = table.toBuilder();
      boolean servedHere = false;
      boolean servedElsewhere = false;
      for (int i = 0; i < drained.getRegionsCount(); i++) {
        RegionRoute route = drained.getRegions(i);
        boolean serving = !table.getPanic() && serves(route);
        if (route.getRegion().equals(region)) {
          servedHere = serving;
          drained.setRegions(
              i,
              route.toBuilder()
                  .setWeight(0)
                  .setState(RegionState.REGION_STATE_DRAINED)
                  .setReason(reason));
        } else {
          servedElsewhere |= serving;
        }
      }
      if (servedHere && !servedElsewhere) {
        unserved.add(table.getModelName() + " (" + othersOf(table, region) + ")");
        drained.setPanic(true);
      }
      projected.add(drained.build());
    }
    return new DrainImpact(projected, unserved);
  }

  private static boolean serves(RegionRoute route) {
    return route.getWeight() > 0
        && (route.getState() == RegionState.REGION_STATE_ACTIVE
            || route.getState() == RegionState.REGION_STATE_DEGRADED);
  }

  private static String othersOf(RoutingTable table, String region) {
    String others =
        table.getRegionsList().stream()
            .filter(route -> !route.getRegion().equals(region))
            .map(route -> route.getRegion() + ": " + route.getReason())
            .collect(Collectors.joining("; "));
    return others.isEmpty() ? "no other region" : others;
  }
}
