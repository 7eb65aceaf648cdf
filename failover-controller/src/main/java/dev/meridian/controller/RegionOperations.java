package dev.meridian.controller;

import dev.meridian.controller.admin.RegionControl;
import dev.meridian.controller.consul.DrainRecord;
import dev.meridian.controller.consul.DrainSet;
import dev.meridian.controller.consul.DrainStore;
import dev.meridian.controller.consul.FencedOutException;
import dev.meridian.controller.consul.Leadership;
import dev.meridian.controller.consul.WriteOutcome;
import dev.meridian.controller.routing.DrainImpact;
import dev.meridian.controller.routing.LoadSnapshot;
import dev.meridian.core.CallerText;
import dev.meridian.core.LogValue;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.DrainRegionResponse;
import dev.meridian.proto.admin.v1.ListRegionsResponse;
import dev.meridian.proto.admin.v1.LoadProjection;
import dev.meridian.proto.admin.v1.ModelRoute;
import dev.meridian.proto.admin.v1.RegionStatus;
import dev.meridian.proto.admin.v1.UndrainRegionRequest;
import dev.meridian.proto.admin.v1.UndrainRegionResponse;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.LoadReport;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' calls, run on the controller's loop against the leader's state: a drain is refused
 * when it would leave a model unserved or the survivors without headroom ({@link DrainCapacity}),
 * unless forced; drains and undrains are recorded in Consul (fenced, control datacenter first)
 * before they take effect, and only while Consul confirms this controller holds the lock, so a
 * deposed leader that does not know it yet cannot accept a change the real leader never sees.
 * Thread-safe: every call hops onto the loop.
 */
final class RegionOperations implements RegionControl {
  private static final Logger logger = LoggerFactory.getLogger(RegionOperations.class);

  /** What the operations need of the engine they run in. */
  interface Engine {
    /** Recomputes and writes the tables now. */
    void evaluate();

    /** A fenced write failed: stop acting until taken over again. */
    void fencedOut(String reason);
  }

  private final ControllerConfig config;
  private final SerialLoop loop;
  private final LeaderTerm term;
  private final TableBook tables;
  private final DrainBook drains;
  private final DrainStore drainStore;
  private final Leadership leadership;
  private final InstantSource clock;
  private final DrainCapacity capacity;
  private final Supplier<LoadSnapshot> load;
  private final Engine engine;

  RegionOperations(
      ControllerConfig config,
      SerialLoop loop,
      LeaderTerm term,
      TableBook tables,
      DrainBook drains,
      DrainStore drainStore,
      Leadership leadership,
      InstantSource clock,
      DrainCapacity capacity,
      Supplier<LoadSnapshot> load,
      Engine engine) {
    this.config = config;
    this.loop = loop;
    this.term = term;
    this.tables = tables;
    this.drains = drains;
    this.drainStore = drainStore;
    this.leadership = leadership;
    this.clock = clock;
    this.capacity = capacity;
    this.load = load;
    this.engine = engine;
  }

  @Override
  public DrainRegionResponse drain(DrainRegionRequest request, String who) throws StatusException {
    return loop.call(
        () -> {
          String region = knownRegion(request.getRegion());
          Optional<DrainRecord> drained = drains.record(region);
          if (drained.isPresent()) {
            DrainRecord existing = drained.get();
            throw Status.FAILED_PRECONDITION
                .withDescription(
                    region
                        + " is already drained (by "
                        + existing.who()
                        + " since "
                        + existing.startedAt()
                        + ": "
                        + CallerText.quoted(existing.reason())
                        + "); undrain it first")
                .asException();
          }
          engine.evaluate();
          DrainImpact impact =
              DrainImpact.of(
                  List.copyOf(tables.published()),
                  region,
                  "drained by " + who + ": " + request.getReason());
          if (!impact.unserved().isEmpty() && !request.getForce()) {
            throw Status.FAILED_PRECONDITION
                .withDescription(
                    "draining "
                        + region
                        + " would leave these models with no serving region: "
                        + String.join(", ", impact.unserved())
                        + "; set force to drain anyway (needs role admin)")
                .asException();
          }
          LoadProjection projection =
              capacity.check(region, tables.published(), tables.observations(), request.getForce());
          if (request.getDryRun()) {
            return DrainRegionResponse.newBuilder()
                .addAllTables(impact.tables())
                .setDryRun(true)
                .setCapacity(projection)
                .build();
          }
          DrainRecord record =
              new DrainRecord(
                  region, who, request.getReason(), clock.instant(), request.getForce());
          commit(drains.with(record, term.epoch()), "the drain of " + region);
          capacity.started(record);
          engine.evaluate();
          return DrainRegionResponse.newBuilder()
              .addAllTables(tables.published())
              .setCapacity(projection)
              .build();
        });
  }

  @Override
  public UndrainRegionResponse undrain(UndrainRegionRequest request, String who)
      throws StatusException {
    return loop.call(
        () -> {
          String region = knownRegion(request.getRegion());
          if (drains.record(region).isEmpty()) {
            throw Status.FAILED_PRECONDITION
                .withDescription(region + " is not drained")
                .asException();
          }
          commit(drains.without(region, term.epoch()), "the undrain of " + region);
          logger
              .atInfo()
              .addKeyValue("region", region)
              .addKeyValue("operator", who)
              .addKeyValue("reason", LogValue.bounded(request.getReason()))
              .log("region undrained");
          engine.evaluate();
          return UndrainRegionResponse.newBuilder().addAllTables(tables.published()).build();
        });
  }

  /**
   * Writes {@code next} and applies it once the control datacenter has it; other datacenters that
   * fail are retried by the engine.
   *
   * @throws StatusException UNAVAILABLE, with nothing changed, when this controller cannot confirm
   *     it leads or the control datacenter cannot be written
   */
  private void commit(DrainSet next, String what) throws StatusException {
    if (!leadership.confirm()) {
      throw Status.UNAVAILABLE
          .withDescription(
              "this controller cannot confirm with Consul that it still leads; "
                  + what
                  + " was not recorded, nothing changed; retry against the leader")
          .asException();
    }
    WriteOutcome outcome;
    try {
      outcome = drainStore.write(next, config.regions());
    } catch (FencedOutException e) {
      engine.fencedOut(e.getMessage());
      throw Status.UNAVAILABLE
          .withDescription(
              "a newer leader epoch is in Consul ("
                  + e.getMessage()
                  + "); this controller stopped acting and did not apply "
                  + what
                  + "; list the regions on the leader before retrying")
          .asException();
    }
    if (outcome.failed().contains(config.controlDatacenter())) {
      throw Status.UNAVAILABLE
          .withDescription(
              "cannot record "
                  + what
                  + " in Consul's "
                  + config.controlDatacenter()
                  + " datacenter; nothing changed, retry")
          .asException();
    }
    drains.committed(next, outcome.version(), outcome.failed());
  }

  @Override
  public RoutingTable table(String model) throws StatusException {
    return loop.call(
        () -> {
          requireActing();
          return knownModel(model);
        });
  }

  @Override
  public ListRegionsResponse regions() throws StatusException {
    return loop.call(
        () -> {
          requireActing();
          ListRegionsResponse.Builder response = ListRegionsResponse.newBuilder();
          for (String region : config.regions()) {
            Optional<DrainRecord> drain = drains.record(region);
            RegionStatus.Builder status =
                RegionStatus.newBuilder().setRegion(region).setDrained(drain.isPresent());
            drain.ifPresent(
                record -> status.setDrainReason("by " + record.who() + ": " + record.reason()));
            for (RoutingTable table : tables.published()) {
              table.getRegionsList().stream()
                  .filter(route -> route.getRegion().equals(region))
                  .forEach(
                      route ->
                          status.addModels(
                              ModelRoute.newBuilder()
                                  .setModelName(table.getModelName())
                                  .setRoute(route)));
            }
            response.addRegions(status);
          }
          load.get().reports().stream()
              .sorted(Comparator.comparing(LoadReport::gateway))
              .map(GatewayStatuses::of)
              .forEach(response::addGateways);
          return response.build();
        });
  }

  @Override
  public void watch(String model, ServerCallStreamObserver<RoutingTable> stream)
      throws StatusException {
    stream.setOnCancelHandler(() -> loop.execute(() -> tables.unwatch(stream)));
    loop.call(
        () -> {
          requireActing();
          if (!model.isEmpty()) {
            knownModel(model);
          }
          tables.watch(model, stream);
          return null;
        });
  }

  private void requireActing() throws StatusException {
    if (!term.acting()) {
      throw Status.UNAVAILABLE
          .withDescription(
              "this controller is not leading yet (it is loading the routing state); retry shortly")
          .asException();
    }
  }

  private String knownRegion(String region) throws StatusException {
    requireActing();
    if (!config.regions().contains(region)) {
      throw Status.NOT_FOUND
          .withDescription(
              "region " + CallerText.quoted(region) + " is not one of " + config.regions())
          .asException();
    }
    return region;
  }

  private RoutingTable knownModel(String model) throws StatusException {
    return tables
        .table(model)
        .orElseThrow(
            () ->
                Status.NOT_FOUND
                    .withDescription(
                        "model "
                            + CallerText.quoted(model)
                            + " has no routing table (known: "
                            + tables.models()
                            + ")")
                    .asException());
  }
}
