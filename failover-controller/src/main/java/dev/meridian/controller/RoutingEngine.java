package dev.meridian.controller;

import com.codahale.metrics.Timer;
import com.google.protobuf.Timestamp;
import dev.meridian.controller.admin.RegionControl;
import dev.meridian.controller.consul.DrainRecord;
import dev.meridian.controller.consul.DrainStore;
import dev.meridian.controller.consul.FencedOutException;
import dev.meridian.controller.consul.FencedTableStore;
import dev.meridian.controller.consul.ReplicaHealthWatch;
import dev.meridian.controller.routing.Drain;
import dev.meridian.controller.routing.DrainImpact;
import dev.meridian.controller.routing.ModelRouter;
import dev.meridian.controller.routing.RegionObservation;
import dev.meridian.controller.routing.ReplicaGrouping;
import dev.meridian.core.CallerText;
import dev.meridian.core.LogValue;
import dev.meridian.core.Ticker;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.DrainRegionResponse;
import dev.meridian.proto.admin.v1.ListRegionsResponse;
import dev.meridian.proto.admin.v1.LoadProjection;
import dev.meridian.proto.admin.v1.ModelRoute;
import dev.meridian.proto.admin.v1.RegionStatus;
import dev.meridian.proto.admin.v1.UndrainRegionRequest;
import dev.meridian.proto.admin.v1.UndrainRegionResponse;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.LeadershipListener;
import dev.meridian.registry.RegistryException;
import dev.meridian.registry.ServiceInstance;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The controller's routing state and everything that changes it: replica health from every region,
 * elections, periodic ticks and admin calls all run on one {@link SerialLoop}, so the fields below
 * are confined to that thread and need no locks. While leading, it computes every model's table
 * with a {@link ModelRouter}, writes the changed ones through the {@link FencedTableStore}, keeps
 * operators' drains in the {@link DrainStore}, and streams changes to watchers. The public methods
 * are thread-safe: they hop onto the loop.
 */
final class RoutingEngine
    implements RegionControl, LeadershipListener, ReplicaHealthWatch.Listener {
  private static final Logger logger = Logger.getLogger(RoutingEngine.class.getName());

  private final ControllerConfig config;
  private final FencedTableStore tables;
  private final DrainStore drainStore;
  private final Ticker ticker;
  private final InstantSource clock;
  private final ControllerMetrics metrics;
  private final SerialLoop loop;
  private final Runnable firstHealthRead;
  private final DrainCapacity capacity;

  // Confined to the loop thread.
  private final Map<String, Map<String, RegionObservation>> observations = new HashMap<>();
  private final Map<String, ModelRouter> routers = new TreeMap<>();
  private final DrainBook drains;
  private final Map<String, RoutingTable> published = new TreeMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private final Map<String, Set<String>> pending = new HashMap<>();
  private final TableSubscribers subscribers = new TableSubscribers();
  private long epoch;
  private long electedEpoch;
  private boolean healthRead;

  RoutingEngine(
      ControllerConfig config,
      FencedTableStore tables,
      DrainStore drainStore,
      Ticker ticker,
      InstantSource clock,
      ControllerMetrics metrics,
      SerialLoop loop,
      Runnable firstHealthRead,
      DrainCapacity capacity) {
    this.config = config;
    this.tables = tables;
    this.drainStore = drainStore;
    this.ticker = ticker;
    this.clock = clock;
    this.drains = new DrainBook(ticker, clock);
    this.metrics = metrics;
    this.loop = loop;
    this.firstHealthRead = firstHealthRead;
    this.capacity = capacity;
  }

  /** Starts the periodic evaluation that moves holds and ramps along. */
  void start() {
    loop.every(config.routing().evaluationInterval(), this::tick);
  }

  @Override
  public void onReplicas(String region, List<ServiceInstance> replicas) {
    Map<String, RegionObservation> byModel = ReplicaGrouping.byModel(replicas);
    loop.execute(
        () -> {
          observations.put(region, byModel);
          if (!healthRead && observations.keySet().containsAll(config.regions())) {
            healthRead = true;
            firstHealthRead.run();
          }
          evaluate();
        });
  }

  @Override
  public void elected(long newEpoch) {
    loop.execute(
        () -> {
          electedEpoch = newEpoch;
          takeOver();
        });
  }

  @Override
  public void deposed(String reason) {
    loop.execute(() -> stepAside("leadership lost: " + reason));
  }

  private void tick() {
    if (electedEpoch != 0 && epoch == 0) {
      takeOver();
    }
    evaluate();
  }

  /**
   * Loads the previous leader's tables and the drains before acting, so versions continue, regions
   * keep regaining weight where they were, and drains go on. Until both are read (Consul may be
   * failing) it does not lead: acting without the drains would undo them. Every table is then
   * rewritten under the new epoch, which fences the previous leader out at once.
   */
  private void takeOver() {
    Map<String, RoutingTable> previous;
    Map<String, DrainRecord> loaded;
    try {
      previous = tables.readNewest(config.regions());
      loaded = drainStore.load();
    } catch (RegistryException e) {
      logger.log(Level.WARNING, "elected, but cannot read state yet; retrying on the next tick", e);
      return;
    }
    clearLeaderState();
    previous.forEach(
        (model, table) -> {
          versions.put(model, table.getVersion());
          router(model).seed(table);
        });
    loaded.values().forEach(drains::add);
    epoch = electedEpoch;
    logger.info(config.id() + " leads with epoch " + epoch);
    evaluate();
  }

  private void stepAside(String reason) {
    if (epoch != 0) {
      logger.warning(config.id() + " stops leading: " + reason);
    }
    electedEpoch = 0;
    epoch = 0;
    subscribers.closeAll(
        Status.UNAVAILABLE.withDescription(
            "this controller stopped leading (" + reason + "); watch the new leader"));
    clearLeaderState();
  }

  private void clearLeaderState() {
    routers.clear();
    drains.clear();
    published.clear();
    versions.clear();
    pending.clear();
    capacity.clear();
  }

  private ModelRouter router(String model) {
    return routers.computeIfAbsent(
        model, name -> new ModelRouter(name, config.regions(), config.routing(), ticker));
  }

  private void evaluate() {
    if (epoch == 0) {
      return;
    }
    Set<String> models = new TreeSet<>(routers.keySet());
    observations.values().forEach(byModel -> models.addAll(byModel.keySet()));
    Map<String, RoutingTable> computed = new TreeMap<>();
    Timer.Context timing = metrics.timeComputation();
    Map<String, Drain> ramps =
        capacity.pace(drains.ramps(), published.values(), observations, ticker.nanoTime());
    models.forEach(
        model -> computed.put(model, router(model).compute(observationsOf(model), ramps)));
    timing.stop();
    for (RoutingTable routes : computed.values()) {
      String model = routes.getModelName();
      RoutingTable last = published.get(model);
      boolean written =
          last == null || !sameRoutes(last, routes)
              ? write(stamp(routes, versions.getOrDefault(model, 0L) + 1), config.regions())
              : !pending.containsKey(model) || write(last, pending.get(model));
      if (!written) {
        return;
      }
    }
    metrics.tables(published.values());
  }

  private Map<String, RegionObservation> observationsOf(String model) {
    Map<String, RegionObservation> result = new HashMap<>();
    observations.forEach(
        (region, byModel) -> {
          RegionObservation observed = byModel.get(model);
          if (observed != null) {
            result.put(region, observed);
          }
        });
    return result;
  }

  private static boolean sameRoutes(RoutingTable a, RoutingTable b) {
    return a.getPanic() == b.getPanic() && a.getRegionsList().equals(b.getRegionsList());
  }

  private RoutingTable stamp(RoutingTable routes, long version) {
    Instant now = clock.instant();
    return routes.toBuilder()
        .setVersion(version)
        .setLeaderEpoch(epoch)
        .setComputedAt(
            Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setComputedBy(config.id())
        .build();
  }

  /** Writes a table; false when fenced out, after which this controller no longer leads. */
  private boolean write(RoutingTable table, Set<String> datacenters) {
    FencedTableStore.WriteOutcome outcome;
    try {
      outcome = tables.write(table, datacenters);
    } catch (FencedOutException e) {
      // A newer epoch in KV means the lock has already moved on; the lock's own renewal will find
      // the session gone and campaign again, so idling until then is the safe reaction.
      stepAside("fenced out: " + e.getMessage());
      return false;
    }
    RoutingTable written = table.toBuilder().setVersion(outcome.version()).build();
    String model = table.getModelName();
    RoutingTable before = published.put(model, written);
    versions.put(model, outcome.version());
    if (outcome.failed().isEmpty()) {
      pending.remove(model);
    } else {
      metrics.writeFailures(outcome.failed().size());
      pending.put(model, outcome.failed());
    }
    if (!written.equals(before)) {
      subscribers.publish(written);
    }
    return true;
  }

  private boolean write(RoutingTable table, List<String> datacenters) {
    return write(table, new TreeSet<>(datacenters));
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
          evaluate();
          DrainImpact impact =
              DrainImpact.of(
                  List.copyOf(published.values()),
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
              capacity.check(region, published.values(), observations, request.getForce());
          if (request.getDryRun()) {
            return DrainRegionResponse.newBuilder()
                .addAllTables(impact.tables())
                .setDryRun(true)
                .setCapacity(projection)
                .build();
          }
          DrainRecord record = new DrainRecord(region, who, request.getReason(), clock.instant());
          boolean created;
          try {
            created = drainStore.create(record);
          } catch (RegistryException e) {
            throw unavailable("cannot record the drain of " + region, e);
          }
          if (!created) {
            throw Status.ABORTED
                .withDescription(
                    "a drain record for " + region + " appeared meanwhile; list regions and retry")
                .asException();
          }
          drains.add(record);
          capacity.started(region, request.getForce());
          evaluate();
          return DrainRegionResponse.newBuilder()
              .addAllTables(published.values())
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
          try {
            drainStore.remove(region);
          } catch (RegistryException e) {
            throw unavailable("cannot remove the drain record of " + region, e);
          }
          logger.info(
              region + " undrained by " + who + ": reason=" + LogValue.quoted(request.getReason()));
          drains.remove(region);
          evaluate();
          return UndrainRegionResponse.newBuilder().addAllTables(published.values()).build();
        });
  }

  @Override
  public RoutingTable table(String model) throws StatusException {
    return loop.call(
        () -> {
          requireLeading();
          return knownModel(model);
        });
  }

  @Override
  public ListRegionsResponse regions() throws StatusException {
    return loop.call(
        () -> {
          requireLeading();
          ListRegionsResponse.Builder response = ListRegionsResponse.newBuilder();
          for (String region : config.regions()) {
            Optional<DrainRecord> drain = drains.record(region);
            RegionStatus.Builder status =
                RegionStatus.newBuilder().setRegion(region).setDrained(drain.isPresent());
            drain.ifPresent(
                record -> status.setDrainReason("by " + record.who() + ": " + record.reason()));
            published.forEach(
                (model, table) ->
                    table.getRegionsList().stream()
                        .filter(route -> route.getRegion().equals(region))
                        .forEach(
                            route ->
                                status.addModels(
                                    ModelRoute.newBuilder().setModelName(model).setRoute(route))));
            response.addRegions(status);
          }
          return response.build();
        });
  }

  @Override
  public void watch(String model, ServerCallStreamObserver<RoutingTable> stream)
      throws StatusException {
    stream.setOnCancelHandler(() -> loop.execute(() -> subscribers.remove(stream)));
    loop.call(
        () -> {
          requireLeading();
          if (!model.isEmpty()) {
            knownModel(model);
          }
          subscribers.add(model, stream, published.values());
          return null;
        });
  }

  private void requireLeading() throws StatusException {
    if (epoch == 0) {
      throw Status.UNAVAILABLE
          .withDescription(
              "this controller is not leading yet (it is loading the routing state); retry shortly")
          .asException();
    }
  }

  private String knownRegion(String region) throws StatusException {
    requireLeading();
    if (!config.regions().contains(region)) {
      throw Status.NOT_FOUND
          .withDescription(
              "region " + CallerText.quoted(region) + " is not one of " + config.regions())
          .asException();
    }
    return region;
  }

  private RoutingTable knownModel(String model) throws StatusException {
    RoutingTable table = published.get(model);
    if (table == null) {
      throw Status.NOT_FOUND
          .withDescription(
              "model "
                  + CallerText.quoted(model)
                  + " has no routing table (known: "
                  + published.keySet()
                  + ")")
          .asException();
    }
    return table;
  }

  private static StatusException unavailable(String what, RegistryException e) {
    return Status.UNAVAILABLE
        .withDescription(what + " in Consul (" + e.getMessage() + "); nothing changed, retry")
        .withCause(e)
        .asException();
  }
}
