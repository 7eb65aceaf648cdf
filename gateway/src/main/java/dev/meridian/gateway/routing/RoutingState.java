package dev.meridian.gateway.routing;

import dev.meridian.core.Ticker;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the gateway currently knows: the routing table of each model and the healthy replicas of
 * each region. Feeds replace whole views at once; readers see one consistent view per field without
 * locking. A view never goes empty because Consul did: feeds only publish what they read.
 * Thread-safe.
 */
public final class RoutingState {
  /**
   * Orders one model's tables oldest first: leader epoch (the controller leader's lock index), then
   * version. Versions alone are not enough: a new leader continues from the tables it reads at
   * takeover, so if Consul lost them, or was restored from an old snapshot, it starts again at 1 or
   * at that snapshot's versions, under its higher epoch.
   */
  private static final Comparator<RoutingTable> NEWEST_LAST =
      Comparator.comparingLong(RoutingTable::getLeaderEpoch)
          .thenComparingLong(RoutingTable::getVersion);

  private final Ticker ticker;
  private volatile Map<String, RoutingTable> tables = Map.of();
  private volatile Map<String, List<ReplicaEndpoint>> replicas = Map.of();
  // The same replicas by region, then model: a call's picks read these lists as they are.
  private volatile Map<String, Map<String, List<ReplicaEndpoint>>> byModel = Map.of();
  private volatile long tablesUpdatedNanos;
  private volatile boolean tablesKnown;

  /** Creates an empty state on {@code ticker}. */
  public RoutingState(Ticker ticker) {
    this.ticker = ticker;
  }

  /**
   * Updates the routing tables read: each replaces its model's table unless it is older than the
   * one held (an older leader epoch, or the same epoch and a lower version); models not among them
   * keep theirs, as a missing key is more often a Consul that lost its state than a retired model.
   *
   * @return the tables refused as older, for the caller to report
   */
  public synchronized List<RejectedTable> updateTables(List<RoutingTable> newTables) {
    Map<String, RoutingTable> merged = new HashMap<>(tables);
    List<RejectedTable> rejected = new ArrayList<>();
    for (RoutingTable table : newTables) {
      RoutingTable held = merged.get(table.getModelName());
      if (held != null && NEWEST_LAST.compare(table, held) < 0) {
        rejected.add(new RejectedTable(held, table));
      } else {
        merged.put(table.getModelName(), table);
      }
    }
    // A read of nothing but older tables taught nothing, so the age keeps growing: a gateway stuck
    // behind the tables it holds (say, after the control plane's epochs restarted) shows it there.
    if (newTables.isEmpty() || rejected.size() < newTables.size()) {
      tables = Map.copyOf(merged);
      tablesUpdatedNanos = ticker.nanoTime();
      tablesKnown = true;
    }
    return List.copyOf(rejected);
  }

  /** Replaces the healthy replicas of one region. */
  public synchronized void replaceReplicas(String region, List<ReplicaEndpoint> healthy) {
    Map<String, List<ReplicaEndpoint>> copy = new HashMap<>(replicas);
    copy.put(region, List.copyOf(healthy));
    Map<String, Map<String, List<ReplicaEndpoint>>> index = new HashMap<>();
    copy.forEach((name, endpoints) -> index.put(name, byModel(endpoints)));
    byModel = Map.copyOf(index);
    replicas = Map.copyOf(copy);
  }

  private static Map<String, List<ReplicaEndpoint>> byModel(List<ReplicaEndpoint> endpoints) {
    Map<String, List<ReplicaEndpoint>> serving = new HashMap<>();
    for (ReplicaEndpoint replica : endpoints) {
      for (String model : replica.models()) {
        serving.computeIfAbsent(model, m -> new ArrayList<>()).add(replica);
      }
    }
    serving.replaceAll((model, list) -> List.copyOf(list));
    return Map.copyOf(serving);
  }

  /** The routing table of {@code model}, if one is known. */
  public Optional<RoutingTable> table(String model) {
    return Optional.ofNullable(tables.get(model));
  }

  /** Every routing table known. */
  public List<RoutingTable> tables() {
    return List.copyOf(tables.values());
  }

  /** Whether any routing table has been loaded (from Consul or disk). */
  public boolean hasTables() {
    return tablesKnown && !tables.isEmpty();
  }

  /** How long since the tables were last replaced; empty if never. */
  public Optional<Duration> tableAge() {
    return tablesKnown
        ? Optional.of(Duration.ofNanos(ticker.nanoTime() - tablesUpdatedNanos))
        : Optional.empty();
  }

  /** The healthy replicas of {@code region} that serve {@code model}. */
  public List<ReplicaEndpoint> replicas(String region, String model) {
    return byModel.getOrDefault(region, Map.of()).getOrDefault(model, List.of());
  }

  /** Every replica known, whatever its region. */
  public List<ReplicaEndpoint> everyReplica() {
    return replicas.values().stream().flatMap(List::stream).toList();
  }

  /** Every healthy replica known, by region. */
  public Map<String, List<ReplicaEndpoint>> allReplicas() {
    return replicas;
  }
}
