package dev.meridian.gateway.routing;

import dev.meridian.core.routing.PanicRule;
import dev.meridian.gateway.policy.RegionPolicies;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import dev.meridian.gateway.routing.ReplicaAvailability.Grade;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.ToLongFunction;

/**
 * Chooses the region of an attempt, at random in proportion to the routing table's weights, among
 * the regions this gateway sees fit to answer: first those with a {@link Grade#READY} replica and a
 * breaker that lets calls through, then those with an unproven one, and only when no region has
 * either, ejected replicas and open breakers too, as trying them beats failing the call. Within a
 * grade, regions the call has not tried come first, and of those the regions whose recent latency
 * fits in the time the caller has left (deadline-aware choice). Regions with weight 0 (drained,
 * down) get no new calls, unless the table gives no fit region any weight: then the fit regions go
 * through the {@link PanicRule} the controller applies to whole tables, weighed by the table's
 * replica counts. Stateless apart from the injected randomness, hence thread-safe.
 */
public final class RegionSelector {
  /**
   * How the gateway weighs panic candidates. Not by the table's weights: the rule applies exactly
   * when every fit region's weight is 0, so they say nothing. The gateway knows no replica's
   * capacity, but the table counts each region's replicas as the controller last saw them: first
   * the healthy ones (a region still held back after recovering beats one that is down), failing
   * those the registered ones. A table whose counts are all zero is most likely a controller that
   * saw an empty Consul while the gateway sees replicas: every fit region has at least one the
   * gateway may try, so each then gets an equal share.
   */
  private static final List<ToLongFunction<RegionRoute>> PANIC_CAPACITIES =
      List.of(RegionRoute::getHealthyReplicas, RegionRoute::getTotalReplicas, route -> 1);

  /** The latency percentile that must fit in the caller's remaining time. */
  private static final double FIT_PERCENTILE = 90;

  /** Answers a region must have given recently before its latency is trusted. */
  private static final int FIT_MIN_SAMPLES = 20;

  private final ReplicaPicker replicas;
  private final RegionPolicyRegistry policies;
  private final DoubleSupplier random;

  /**
   * Creates a selector.
   *
   * @param random uniform values in [0, 1), injected so tests are deterministic
   */
  public RegionSelector(
      ReplicaPicker replicas, RegionPolicyRegistry policies, DoubleSupplier random) {
    this.replicas = replicas;
    this.policies = policies;
    this.random = random;
  }

  /**
   * Picks a region for {@code table}'s model.
   *
   * @param triedRegions regions the call has already been sent to
   * @param triedReplicas replicas the call has already been sent to, never picked again
   * @param refused regions that refused this attempt (bulkhead full, breaker), skipped
   * @param remaining the time the caller has left
   * @return empty when no region has an untried replica
   */
  public Optional<String> pick(
      RoutingTable table,
      Set<String> triedRegions,
      Set<String> triedReplicas,
      Set<String> refused,
      Duration remaining) {
    String model = table.getModelName();
    List<RegionRoute> routes = table.getRegionsList();
    // Each region's fitness, graded once for all the grades below.
    Grade[] fitness = new Grade[routes.size()];
    for (int i = 0; i < fitness.length; i++) {
      String region = routes.get(i).getRegion();
      fitness[i] = refused.contains(region) ? null : fitness(region, model, triedReplicas);
    }
    for (Grade grade : Grade.values()) {
      List<RegionRoute> fit = new ArrayList<>(routes.size());
      for (int i = 0; i < fitness.length; i++) {
        if (fitness[i] != null && fitness[i].compareTo(grade) <= 0) {
          fit.add(routes.get(i));
        }
      }
      List<RegionRoute> open =
          PanicRule.routesNowhere(fit)
              ? PanicRule.candidates(fit, PANIC_CAPACITIES)
              : withWeight(fit);
      List<RegionRoute> untried = new ArrayList<>(open.size());
      for (RegionRoute route : open) {
        if (!triedRegions.contains(route.getRegion())) {
          untried.add(route);
        }
      }
      List<RegionRoute> candidates = untried.isEmpty() ? open : untried;
      List<RegionRoute> inTime = new ArrayList<>(candidates.size());
      for (RegionRoute route : candidates) {
        if (fitsIn(policies.forRoute(route.getRegion(), model), remaining)) {
          inTime.add(route);
        }
      }
      Optional<String> region = weighted(inTime.isEmpty() ? candidates : inTime);
      if (region.isPresent()) {
        return region;
      }
    }
    return Optional.empty();
  }

  private static List<RegionRoute> withWeight(List<RegionRoute> routes) {
    List<RegionRoute> weighted = new ArrayList<>(routes.size());
    for (RegionRoute route : routes) {
      if (route.getWeight() > 0) {
        weighted.add(route);
      }
    }
    return weighted;
  }

  /**
   * Whether a region {@code table} gives weight and the call has not tried (nor been refused by)
   * has a {@link Grade#READY} replica behind a breaker that lets calls through: a degraded answer
   * given now would be given while a region could have answered.
   */
  public boolean untriedRegionCouldAnswer(
      RoutingTable table, Set<String> triedRegions, Set<String> triedReplicas) {
    return table.getRegionsList().stream()
        .filter(route -> route.getWeight() > 0 && !triedRegions.contains(route.getRegion()))
        .anyMatch(
            route -> offers(route.getRegion(), table.getModelName(), triedReplicas, Grade.READY));
  }

  /** Whether {@code region} has an untried replica at least as fit as {@code grade}. */
  private boolean offers(String region, String model, Set<String> triedReplicas, Grade grade) {
    Grade fitness = fitness(region, model, triedReplicas);
    return fitness != null && fitness.compareTo(grade) <= 0;
  }

  /**
   * The best grade at which {@code region} offers an untried replica of {@code model}: that of its
   * best replica, but {@link Grade#LAST_RESORT} while its breaker keeps calls out; null if it has
   * none.
   */
  private Grade fitness(String region, String model, Set<String> triedReplicas) {
    Optional<Grade> best = replicas.bestGrade(region, model, triedReplicas);
    if (best.isEmpty()) {
      return null;
    }
    return best.get() == Grade.LAST_RESORT || policies.forRoute(region, model).available()
        ? best.get()
        : Grade.LAST_RESORT;
  }

  private static boolean fitsIn(RegionPolicies route, Duration remaining) {
    return route
        .latency()
        .percentile(FIT_PERCENTILE, FIT_MIN_SAMPLES)
        .map(estimate -> estimate.compareTo(remaining) < 0)
        .orElse(true);
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
