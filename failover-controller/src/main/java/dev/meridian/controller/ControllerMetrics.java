package dev.meridian.controller;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.meridian.controller.consul.Leadership;
import dev.meridian.core.metrics.BucketHistogram;
import dev.meridian.core.metrics.MetricNames;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's metrics: {@code controller.leader} (1 while leading), {@code
 * controller.table.version{model}}, {@code controller.computation.duration.seconds} (time to
 * compute every table), {@code controller.routes{state}} (region routes per state, counted over
 * every model's table), {@code controller.region.state{model,region,state}} (1 for the state of
 * each route, 0 for the others) and {@code controller.table.write.failures} and {@code
 * controller.records.rejected} (malformed records read from Consul and skipped). Thread-safe: the
 * routing thread updates, scrapes read.
 */
final class ControllerMetrics {
  private static final Logger logger = LoggerFactory.getLogger(ControllerMetrics.class);

  private final MetricRegistry registry;
  private final BucketHistogram computation;
  private final Counter writeFailures;
  private final Counter rejectedRecords;
  private final Map<String, Long> versions = new ConcurrentHashMap<>();
  private volatile Map<RegionState, Integer> routesByState = Map.of();
  private final Map<String, RegionState> regionStates = new ConcurrentHashMap<>();

  ControllerMetrics(MetricRegistry registry, Leadership leadership) {
    this.registry = registry;
    registry.register("controller.leader", (Gauge<Integer>) () -> leadership.isLeader() ? 1 : 0);
    for (RegionState state : RegionState.values()) {
      if (state != RegionState.REGION_STATE_UNSPECIFIED && state != RegionState.UNRECOGNIZED) {
        registry.register(
            MetricNames.tagged("controller.routes", "state", label(state)),
            (Gauge<Integer>) () -> routesByState.getOrDefault(state, 0));
      }
    }
    this.computation = BucketHistogram.latency(registry, "controller.computation.duration.seconds");
    this.writeFailures = registry.counter("controller.table.write.failures");
    this.rejectedRecords = registry.counter("controller.records.rejected");
  }

  /** Logs and counts a record read from Consul that was malformed and skipped. */
  void rejectedRecord(String what) {
    logger.atWarn().addKeyValue("reason", what).log("skipping a record read from Consul");
    rejectedRecords.inc();
  }

  /** Records one computation of every table, which took {@code nanos}. */
  void computed(long nanos) {
    computation.observeNanos(nanos);
  }

  /** Counts datacenters a table could not be written to. */
  void writeFailures(int datacenters) {
    writeFailures.inc(datacenters);
  }

  /** Records the current tables. */
  void tables(Collection<RoutingTable> tables) {
    Map<RegionState, Integer> counts = new EnumMap<>(RegionState.class);
    for (RoutingTable table : tables) {
      if (versions.put(table.getModelName(), table.getVersion()) == null) {
        String model = table.getModelName();
        registry.register(
            MetricNames.tagged("controller.table.version", "model", model),
            (Gauge<Long>) () -> versions.getOrDefault(model, 0L));
      }
      for (RegionRoute route : table.getRegionsList()) {
        counts.merge(route.getState(), 1, Integer::sum);
        regionState(table.getModelName(), route.getRegion(), route.getState());
      }
    }
    routesByState = Map.copyOf(counts);
  }

  /**
   * Sets the state of {@code region}'s route for {@code model}: one gauge per state, 1 for the one
   * it is in ({@code controller.region.state{model,region,state="down"}}).
   */
  private void regionState(String model, String region, RegionState state) {
    String route = model + '\n' + region;
    if (regionStates.put(route, state) == null) {
      for (RegionState each : RegionState.values()) {
        if (each != RegionState.REGION_STATE_UNSPECIFIED && each != RegionState.UNRECOGNIZED) {
          registry.register(
              MetricNames.tagged(
                  "controller.region.state",
                  "model",
                  model,
                  "region",
                  region,
                  "state",
                  label(each)),
              (Gauge<Integer>) () -> regionStates.get(route) == each ? 1 : 0);
        }
      }
    }
  }

  private static String label(RegionState state) {
    return state.name().substring("REGION_STATE_".length()).toLowerCase(Locale.ROOT);
  }
}
