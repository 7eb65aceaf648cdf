package dev.meridian.gateway.routing;

import dev.meridian.core.routing.RoutingTableJson;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.BlockingWatch;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.ReplicaProtocol;
import dev.meridian.registry.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link RoutingState} current from Consul: one blocking watch on the routing tables in the
 * gateway's own datacenter, one on the replicas of each region (passing and warning ones serve).
 * When Consul is down the watches fail and retry while the state keeps its last view; an empty
 * answer never replaces a non-empty view, since a Consul that lost its state answers empty too.
 * Each change is saved to the last-known-good file, and every replica update is handed on (to
 * connect and warm up new replicas and close the channels of those gone).
 */
public final class RoutingFeed implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(RoutingFeed.class);

  private final RoutingState state;
  private final LastKnownGoodFile lastKnownGood;
  private final TableRejections rejections;
  private final Consumer<Map<String, List<ReplicaEndpoint>>> onReplicas;
  private final Runnable onTables;
  private final List<BlockingWatch<?>> watches = new ArrayList<>();

  private RoutingFeed(
      RoutingState state,
      LastKnownGoodFile lastKnownGood,
      TableRejections rejections,
      Consumer<Map<String, List<ReplicaEndpoint>>> onReplicas,
      Runnable onTables) {
    this.state = state;
    this.lastKnownGood = lastKnownGood;
    this.rejections = rejections;
    this.onReplicas = onReplicas;
    this.onTables = onTables;
  }

  /**
   * Starts the watches.
   *
   * @param ownRegion the datacenter whose KV holds the tables this gateway follows
   * @param regions every region whose replicas the gateway may call
   * @param rejections hears of tables refused as older than those held
   * @param onReplicas gets every known replica, by region, after each replica update (to connect,
   *     warm up and forget channels)
   * @param onTables runs after each table update (e.g. to report SERVING once routable)
   */
  public static RoutingFeed start(
      ConsulRegistry registry,
      String ownRegion,
      List<String> regions,
      RoutingState state,
      LastKnownGoodFile lastKnownGood,
      TableRejections rejections,
      Consumer<Map<String, List<ReplicaEndpoint>>> onReplicas,
      Runnable onTables) {
    RoutingFeed feed = new RoutingFeed(state, lastKnownGood, rejections, onReplicas, onTables);
    feed.watches.add(
        BlockingWatch.start(
            "routing-tables",
            index -> registry.kv().list(MeridianLayout.ROUTING_PREFIX, ownRegion, index),
            feed::onTables));
    for (String region : regions) {
      feed.watches.add(
          BlockingWatch.start(
              "replicas-" + region,
              // Every replica, passing or not: warning ones still serve, at a reduced weight.
              index -> registry.services().all(MeridianLayout.REPLICA_SERVICE, region, index),
              instances -> feed.onReplicas(region, instances)));
    }
    return feed;
  }

  /** How long since Consul last answered the table watch; empty if it never has. */
  public Optional<Duration> sinceTablesRead() {
    return watches.get(0).sinceLastContact();
  }

  private void onTables(List<KvEntry> entries) {
    List<RoutingTable> tables = new ArrayList<>();
    for (KvEntry entry : entries) {
      try {
        tables.add(RoutingTableJson.decode(entry.value(), entry.key()));
      } catch (IllegalArgumentException e) {
        logger
            .atWarn()
            .addKeyValue("key", entry.key())
            .setCause(e)
            .log("ignoring an unreadable routing table");
      }
    }
    rejections.report(state.updateTables(tables));
    lastKnownGood.save(state);
    onTables.run();
  }

  private void onReplicas(String region, List<ServiceInstance> instances) {
    List<ReplicaEndpoint> healthy = new ArrayList<>();
    for (ServiceInstance instance : instances) {
      if (instance.health().serves()) {
        healthy.add(
            new ReplicaEndpoint(
                region,
                instance.id(),
                instance.address(),
                instance.port(),
                new HashSet<>(instance.tags()),
                instance.health(),
                ReplicaProtocol.of(instance.meta())));
      }
    }
    if (healthy.isEmpty() && !state.allReplicas().getOrDefault(region, List.of()).isEmpty()) {
      // No serving replica at all is as likely a Consul that lost its state (agents have not
      // re-registered, or re-registered with checks not yet updated) as a dead region. The
      // routing table decides whether the region gets traffic; keeping its last replicas lets it
      // answer if it is alive, and the outlier detection, breakers and retries cover it if not.
      logger
          .atWarn()
          .addKeyValue("event", "replicas_empty")
          .addKeyValue("region", region)
          .addKeyValue("action", "keep_last_known")
          .log("no replicas in the region");
      return;
    }
    state.replaceReplicas(region, healthy);
    onReplicas.accept(state.allReplicas());
    lastKnownGood.save(state);
  }

  /** Stops every watch. */
  @Override
  public void close() {
    watches.forEach(BlockingWatch::close);
  }
}
