package dev.meridian.controller;

import dev.meridian.controller.consul.DrainRecord;
import dev.meridian.controller.routing.CapacityProjection;
import dev.meridian.controller.routing.Drain;
import dev.meridian.controller.routing.DrainPacer;
import dev.meridian.controller.routing.DrainPolicy;
import dev.meridian.controller.routing.LoadSnapshot;
import dev.meridian.controller.routing.RegionObservation;
import dev.meridian.controller.routing.RoutingPolicy;
import dev.meridian.proto.admin.v1.LoadProjection;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capacity side of drains, for the routing engine: before a drain, whether the surviving
 * regions can carry the drained region's load ({@link CapacityProjection} against {@code
 * drain.max-utilisation}); during one, holding its ramp while they cannot carry the next step
 * ({@link DrainPacer}). The load is the latest the gateways reported. Not thread-safe: confined to
 * the routing engine's loop.
 */
final class DrainCapacity {
  private static final Logger logger = LoggerFactory.getLogger(DrainCapacity.class);

  private final Supplier<LoadSnapshot> load;
  private final double maxUtilisation;
  private final DrainPacer pacer;

  DrainCapacity(Supplier<LoadSnapshot> load, DrainPolicy drain, RoutingPolicy routing) {
    this.load = load;
    this.maxUtilisation = drain.maxUtilisation();
    this.pacer = new DrainPacer(routing, drain.maxUtilisation());
  }

  /**
   * Projects a drain of {@code region} onto the published {@code tables}.
   *
   * @param observations by region, then by model: the replicas Consul reports
   * @return the projection, for the response
   * @throws StatusException FAILED_PRECONDITION with the numbers, when a survivor would pass the
   *     limit and the drain is not forced
   */
  LoadProjection check(
      String region,
      Collection<RoutingTable> tables,
      Map<String, Map<String, RegionObservation>> observations,
      boolean force)
      throws StatusException {
    CapacityProjection projection =
        CapacityProjection.of(region, 1, tables, observations, load.get(), maxUtilisation);
    projection
        .warnings()
        .forEach(
            warning ->
                logger
                    .atWarn()
                    .addKeyValue("region", region)
                    .addKeyValue("warning", warning)
                    .log("drain warning"));
    if (projection.overloads() && !force) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "draining "
                  + region
                  + " would put "
                  + String.join(", ", projection.overloaded())
                  + "; "
                  + projection.limit()
                  + "; use --force to drain anyway (needs role admin)")
          .asException();
    }
    return LoadProjections.toProto(projection);
  }

  /**
   * Notes a drain in force (started now, or carried on from a previous leader); a forced one is
   * never paused.
   */
  void started(DrainRecord drain) {
    if (drain.forced()) {
      pacer.forced(drain.region());
    }
  }

  /** The drains to route by at {@code nowNanos}; see {@link DrainPacer#pace}. */
  Map<String, Drain> pace(
      Map<String, Drain> drains,
      Collection<RoutingTable> tables,
      Map<String, Map<String, RegionObservation>> observations,
      long nowNanos) {
    return pacer.pace(drains, tables, observations, load.get(), nowNanos);
  }

  /** Forgets the drains' progress, when leadership changes. */
  void clear() {
    pacer.clear();
  }
}
