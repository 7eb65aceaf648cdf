package dev.meridian.controller.routing;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.LoadReport.RegionLoad;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What moving load off a region would do to the regions that stay: for each model, the region's
 * load now (summed over the reporting gateways), the share of it each survivor would take (its
 * weight among the survivors, as gateways choose regions in proportion to weight), and each
 * survivor's projected utilisation, its calls in flight afterwards over its healthy capacity.
 *
 * <p>Load and capacity are compared like with like: a replica's capacity is the number of calls it
 * runs at once, so the load is the number of calls in flight, not calls per second. The gateways
 * measure calls in flight as the summed duration of their attempts over the report interval, which
 * by Little's law (in flight = arrival rate × time in the system) is the mean number in flight; it
 * includes the network hops and the time a call waits at the replica, so it errs on the safe side.
 * The projection assumes a moved call takes as long in its new region as it does now, which holds
 * for latency that is the model's own and not for latency that is the drained region's distance.
 *
 * <p>A survivor is a region with weight of its own that is not itself draining. A model no fresh
 * report names has unknown load: it is not checked, and {@link #warnings()} says so; the drain is
 * allowed, since refusing every drain while the gateways cannot report would take the operator's
 * tool away exactly when Consul is in trouble. Pure and immutable.
 *
 * @param region the region whose load moves
 * @param fraction the part of its current load that moves: 1 for a whole drain, less for one step
 * @param maxUtilisation the limit a survivor must stay within
 * @param models one projection per model
 */
public record CapacityProjection(
    String region, double fraction, double maxUtilisation, List<ModelProjection> models) {

  /** Copies the list. */
  public CapacityProjection {
    models = List.copyOf(models);
  }

  /**
   * Projects moving {@code fraction} of {@code region}'s load, for every model of {@code tables}.
   *
   * @param observations by region, then by model: the replicas Consul reports
   */
  public static CapacityProjection of(
      String region,
      double fraction,
      Collection<RoutingTable> tables,
      Map<String, Map<String, RegionObservation>> observations,
      LoadSnapshot load,
      double maxUtilisation) {
    List<ModelProjection> models = new ArrayList<>();
    for (RoutingTable table : tables) {
      String model = table.getModelName();
      Optional<Map<String, RegionLoad>> known = load.of(model);
      Map<String, RegionLoad> byRegion = known.orElse(Map.of());
      RegionLoad moved = byRegion.getOrDefault(region, RegionLoad.NONE);
      List<RegionRoute> survivors =
          table.getRegionsList().stream()
              .filter(route -> !route.getRegion().equals(region) && survives(route))
              .toList();
      double weights = survivors.stream().mapToDouble(RegionRoute::getWeight).sum();
      List<Survivor> projected = new ArrayList<>();
      for (RegionRoute route : survivors) {
        double share = route.getWeight() / weights;
        double now = byRegion.getOrDefault(route.getRegion(), RegionLoad.NONE).inFlight();
        long capacity =
            observations
                .getOrDefault(route.getRegion(), Map.of())
                .getOrDefault(model, RegionObservation.NONE)
                .healthyCapacity();
        projected.add(
            new Survivor(
                route.getRegion(),
                share,
                now,
                now + share * fraction * moved.inFlight(),
                capacity,
                maxUtilisation));
      }
      models.add(new ModelProjection(model, known.isPresent(), moved, projected));
    }
    return new CapacityProjection(region, fraction, maxUtilisation, models);
  }

  private static boolean survives(RegionRoute route) {
    return route.getWeight() > 0
        && route.getState() != RegionState.REGION_STATE_DRAINING
        && route.getState() != RegionState.REGION_STATE_DRAINED;
  }

  /** Whether some survivor of a model with known load would pass the limit. */
  public boolean overloads() {
    return !overloaded().isEmpty();
  }

  /**
   * One phrase per survivor that would pass the limit, for example {@code eu-west at 1.35 of its
   * capacity (27.0 in flight of 20) for fraud-score}.
   */
  public List<String> overloaded() {
    List<String> phrases = new ArrayList<>();
    for (ModelProjection model : models) {
      if (model.loadKnown()) {
        model.survivors().stream()
            .filter(Survivor::overLimit)
            .forEach(
                survivor ->
                    phrases.add(
                        String.format(
                            Locale.ROOT,
                            "%s at %.2f of its capacity (%.1f in flight of %d) for %s",
                            survivor.region(),
                            survivor.utilisation(),
                            survivor.projectedInFlight(),
                            survivor.capacity(),
                            model.model())));
      }
    }
    return phrases;
  }

  /** One line per model whose load is unknown and so was not checked. */
  public List<String> warnings() {
    return models.stream()
        .filter(model -> !model.loadKnown())
        .map(
            model ->
                "no fresh load report names "
                    + model.model()
                    + ": the survivors' capacity was not checked for it")
        .toList();
  }

  /** The limit as people read it: {@code limit 0.80}. */
  public String limit() {
    return String.format(Locale.ROOT, "limit %.2f", maxUtilisation);
  }

  /**
   * One model's projection.
   *
   * @param model the model
   * @param loadKnown whether a fresh report names it; when not, its figures are zero and unchecked
   * @param moving the load of the region whose load moves, before the move
   * @param survivors the regions that take it
   */
  public record ModelProjection(
      String model, boolean loadKnown, RegionLoad moving, List<Survivor> survivors) {
    /** Copies the list. */
    public ModelProjection {
      survivors = List.copyOf(survivors);
    }
  }

  /**
   * One surviving region of one model.
   *
   * @param region the region
   * @param share the part of the moving load it takes: its weight over the survivors' weights
   * @param inFlight its calls in flight now
   * @param projectedInFlight its calls in flight after the move
   * @param capacity its healthy capacity: the calls its serving replicas run at once
   * @param maxUtilisation the limit it is held to
   */
  public record Survivor(
      String region,
      double share,
      double inFlight,
      double projectedInFlight,
      long capacity,
      double maxUtilisation) {

    /**
     * Projected calls in flight over capacity; infinite when a region with no capacity would get
     * calls.
     */
    public double utilisation() {
      if (capacity > 0) {
        return projectedInFlight / capacity;
      }
      return projectedInFlight > 0 ? Double.POSITIVE_INFINITY : 0;
    }

    /** Whether the projected utilisation passes the limit. */
    public boolean overLimit() {
      return utilisation() > maxUtilisation;
    }
  }
}
