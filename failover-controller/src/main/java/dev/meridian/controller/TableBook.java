package dev.meridian.controller;

import com.google.protobuf.Timestamp;
import dev.meridian.controller.consul.FencedOutException;
import dev.meridian.controller.consul.FencedTableStore;
import dev.meridian.controller.consul.WriteOutcome;
import dev.meridian.controller.routing.Drain;
import dev.meridian.controller.routing.ModelRouter;
import dev.meridian.controller.routing.RegionObservation;
import dev.meridian.core.Ticker;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The leader's routing tables: replica health as last observed in every region, a {@link
 * ModelRouter} per model computing its table, the tables as last written, the datacenters a table
 * still has to reach, and the watchers they are streamed to. Each evaluation writes the tables that
 * changed through the {@link FencedTableStore} under the leader's epoch. Not thread-safe: confined
 * to the controller's loop.
 */
final class TableBook {
  private final ControllerConfig config;
  private final FencedTableStore store;
  private final Ticker ticker;
  private final InstantSource clock;
  private final ControllerMetrics metrics;
  private final DrainCapacity capacity;
  private final Map<String, Map<String, RegionObservation>> observations = new HashMap<>();
  private final Map<String, ModelRouter> routers = new TreeMap<>();
  private final Map<String, RoutingTable> published = new TreeMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private final Map<String, Set<String>> pending = new HashMap<>();
  private final TableSubscribers subscribers = new TableSubscribers();

  TableBook(
      ControllerConfig config,
      FencedTableStore store,
      Ticker ticker,
      InstantSource clock,
      ControllerMetrics metrics,
      DrainCapacity capacity) {
    this.config = config;
    this.store = store;
    this.ticker = ticker;
    this.clock = clock;
    this.metrics = metrics;
    this.capacity = capacity;
  }

  /** Records {@code region}'s replicas; true once every configured region has been observed. */
  boolean observe(String region, Map<String, RegionObservation> byModel) {
    observations.put(region, byModel);
    return observations.keySet().containsAll(config.regions());
  }

  /** Continues from a previous leader's tables: versions go on, ramps resume where they were. */
  void seed(Map<String, RoutingTable> previous) {
    clear();
    previous.forEach(
        (model, table) -> {
          versions.put(model, table.getVersion());
          router(model).seed(table);
        });
  }

  /** Forgets the leader's state (observations stay: they are health, not leadership). */
  void clear() {
    capacity.clear();
    routers.clear();
    published.clear();
    versions.clear();
    pending.clear();
  }

  /** Ends every watch: this controller stopped acting as leader. */
  void closeWatches(String reason) {
    subscribers.closeAll(
        Status.UNAVAILABLE.withDescription(
            "this controller stopped leading (" + reason + "); watch the new leader"));
  }

  /**
   * Computes every model's table and writes those that changed, or that some datacenter is still
   * missing, under {@code epoch}. Drain ramps are paced by the survivors' headroom ({@link
   * DrainCapacity}).
   *
   * @throws FencedOutException when a newer epoch has written or this controller no longer leads
   */
  void evaluate(long epoch, Map<String, Drain> ramps) throws FencedOutException {
    Set<String> models = new TreeSet<>(routers.keySet());
    observations.values().forEach(byModel -> models.addAll(byModel.keySet()));
    Map<String, RoutingTable> computed = new TreeMap<>();
    long start = ticker.nanoTime();
    Map<String, Drain> paced =
        capacity.pace(ramps, published.values(), observations, ticker.nanoTime());
    models.forEach(
        model -> computed.put(model, router(model).compute(observationsOf(model), paced)));
    metrics.computed(ticker.nanoTime() - start);
    for (RoutingTable routes : computed.values()) {
      String model = routes.getModelName();
      RoutingTable last = published.get(model);
      if (last == null || !sameRoutes(last, routes)) {
        write(stamp(routes, epoch, versions.getOrDefault(model, 0L) + 1), config.regions());
      } else if (pending.containsKey(model)) {
        write(last, pending.get(model));
      }
    }
    metrics.tables(published.values());
  }

  /** The tables as last written. */
  Collection<RoutingTable> published() {
    return published.values();
  }

  /** {@code model}'s table as last written. */
  Optional<RoutingTable> table(String model) {
    return Optional.ofNullable(published.get(model));
  }

  /** Replica health as last observed, by region, then by model. */
  Map<String, Map<String, RegionObservation>> observations() {
    return observations;
  }

  /** The models with a table. */
  Set<String> models() {
    return published.keySet();
  }

  /**
   * Streams the current tables of {@code model} ("" for all), then every change, to {@code stream}.
   */
  void watch(String model, ServerCallStreamObserver<RoutingTable> stream) {
    subscribers.add(model, stream, published.values());
  }

  /** Forgets a cancelled watch. */
  void unwatch(ServerCallStreamObserver<RoutingTable> stream) {
    subscribers.remove(stream);
  }

  private ModelRouter router(String model) {
    return routers.computeIfAbsent(
        model, name -> new ModelRouter(name, config.regions(), config.routing(), ticker));
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

  private RoutingTable stamp(RoutingTable routes, long epoch, long version) {
    Instant now = clock.instant();
    return routes.toBuilder()
        .setVersion(version)
        .setLeaderEpoch(epoch)
        .setComputedAt(
            Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setComputedBy(config.id())
        .build();
  }

  private void write(RoutingTable table, Collection<String> datacenters) throws FencedOutException {
    WriteOutcome outcome = store.write(table, new TreeSet<>(datacenters));
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
  }
}
