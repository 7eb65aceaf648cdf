package dev.meridian.gateway;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.failsafe.CircuitBreaker;
import dev.meridian.core.metrics.BucketHistogram;
import dev.meridian.core.metrics.MetricNames;
import dev.meridian.gateway.call.CallListener;
import dev.meridian.gateway.load.LoadMeter;
import dev.meridian.gateway.outlier.OutlierDetector;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import dev.meridian.gateway.routing.ReplicaAvailability;
import dev.meridian.gateway.routing.RoutingState;
import dev.meridian.proto.inference.v1.FeatureSources;
import io.grpc.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The gateway's metrics, in the constructor-injected registry: call duration per model and outcome
 * (how it was served, or the error), attempts per call, attempt duration per region and status,
 * retries, hedges and retry-budget refusals, refusals by breaker and bulkhead, breaker state per
 * region and model, replica ejections by cause, degraded answers (and those given while a region
 * could have answered, which are defects), feature sources of the answers, and the routing table's
 * age. Each family is described in {@code META-INF/meridian/metric-help.properties}. It also hands
 * every attempt's duration to the {@link LoadMeter}, for the load reports. Thread-safe.
 */
public final class GatewayMetrics
    implements CallListener, RegionPolicyRegistry.BreakerListener, OutlierDetector.Listener {
  /** Upper bounds of the attempts-per-call histogram. */
  private static final double[] ATTEMPTS = {1, 2, 3, 4, 6, 8};

  private final MetricRegistry registry;
  private final Map<String, CircuitBreaker.State> breakerStates = new ConcurrentHashMap<>();
  // The metrics of the per-call path by their labels, so that a call builds no metric name.
  private final Map<AttemptKey, BucketHistogram> attemptDurations = new ConcurrentHashMap<>();
  private final Map<CallKey, BucketHistogram> callDurations = new ConcurrentHashMap<>();
  private final Map<String, BucketHistogram> attemptsPerCall = new ConcurrentHashMap<>();
  private final Map<FeatureKey, Counter> featureValues = new ConcurrentHashMap<>();
  private final Map<String, Counter> staleFeatures = new ConcurrentHashMap<>();
  private final LoadMeter load;

  private record AttemptKey(String model, String region, Status.Code status) {}

  private record CallKey(String model, String outcome) {}

  private record FeatureKey(String model, String source) {}

  /** Registers the gauges that read {@code state}; attempts also go to {@code load}. */
  public GatewayMetrics(MetricRegistry registry, RoutingState state, LoadMeter load) {
    this.registry = registry;
    this.load = load;
    registry.gauge(
        "gateway.routing.table_age_seconds",
        () -> () -> state.tableAge().map(age -> age.toMillis() / 1000.0).orElse(Double.NaN));
    registry.gauge("gateway.routing.tables", () -> () -> state.tables().size());
  }

  @Override
  public void attempt(String model, String region, Status.Code status, Duration elapsed) {
    cached(
            attemptDurations,
            new AttemptKey(model, region, status),
            key ->
                BucketHistogram.latency(
                    registry,
                    MetricNames.tagged(
                        "gateway.attempt.duration.seconds",
                        "model",
                        key.model(),
                        "region",
                        key.region(),
                        "status",
                        key.status().name())))
        .observeNanos(elapsed.toNanos());
    load.attemptEnded(model, region, elapsed);
  }

  @Override
  public void refused(String model, String region, String why) {
    registry
        .counter(
            MetricNames.tagged("gateway.refusals", "model", model, "region", region, "reason", why))
        .inc();
  }

  @Override
  public void retryRefused(String model) {
    registry.counter(MetricNames.tagged("gateway.retry_budget.refusals", "model", model)).inc();
  }

  @Override
  public void hedged(String model) {
    registry.counter(MetricNames.tagged("gateway.hedges", "model", model)).inc();
  }

  @Override
  public void features(String model, FeatureSources sources) {
    featureValues(model, "primary", sources.getPrimary());
    featureValues(model, "replica", sources.getReplica());
    featureValues(model, "cache", sources.getCache());
    featureValues(model, "default", sources.getDefaults());
    if (sources.getStale() > 0) {
      registry
          .counter(MetricNames.tagged("gateway.features.stale", "model", model))
          .inc(sources.getStale());
    }
  }

  private void featureValues(String model, String source, int values) {
    if (values > 0) {
      registry
          .counter(MetricNames.tagged("gateway.features.values", "model", model, "source", source))
          .inc(values);
    }
  }

  @Override
  public void call(String model, String outcome, int attempts, Duration elapsed) {
    cached(
            callDurations,
            new CallKey(model, outcome),
            key ->
                BucketHistogram.latency(
                    registry,
                    MetricNames.tagged(
                        "gateway.call.duration.seconds",
                        "model",
                        key.model(),
                        "outcome",
                        key.outcome())))
        .observeNanos(elapsed.toNanos());
    cached(
            attemptsPerCall,
            model,
            key ->
                BucketHistogram.in(
                    registry, MetricNames.tagged("gateway.call.attempts", "model", key), ATTEMPTS))
        .observe(attempts);
    if (attempts > 1) {
      registry.counter(MetricNames.tagged("gateway.retries", "model", model)).inc(attempts - 1L);
    }
  }

  /**
   * Registers one gauge per {@link ReplicaAvailability.Grade}: how many known replicas have it now
   * ({@code gateway.replicas{grade=READY}} is what the gateway can send calls to at full speed).
   */
  public void replicaGrades(RoutingState state, ReplicaAvailability availability) {
    for (ReplicaAvailability.Grade grade : ReplicaAvailability.Grade.values()) {
      registry.gauge(
          MetricNames.tagged("gateway.replicas", "grade", grade.name()),
          () ->
              () ->
                  state.everyReplica().stream()
                      .filter(replica -> availability.grade(replica) == grade)
                      .count());
    }
  }

  @Override
  public void degraded(String model, String path, boolean avoidable) {
    registry
        .counter(
            MetricNames.tagged(
                "gateway.degraded",
                "model",
                model,
                "path",
                path,
                "avoidable",
                Boolean.toString(avoidable)))
        .inc();
  }

  @Override
  public void ejected(String replica, OutlierDetector.Cause cause) {
    registry
        .counter(MetricNames.tagged("gateway.ejections", "replica", replica, "cause", cause.name()))
        .inc();
  }

  /**
   * Sets the route's state: one gauge per state, 1 for the one it is in ({@code
   * gateway.breaker.state{model,region,state="open"}}), so that a query needs no code table.
   */
  @Override
  public void onStateChange(String region, String model, CircuitBreaker.State state) {
    String route = region + '\n' + model;
    breakerStates.put(route, state);
    for (CircuitBreaker.State each : CircuitBreaker.State.values()) {
      registry.gauge(
          MetricNames.tagged(
              "gateway.breaker.state",
              "region",
              region,
              "model",
              model,
              "state",
              each.name().toLowerCase(Locale.ROOT)),
          () -> (Gauge<Integer>) () -> breakerStates.get(route) == each ? 1 : 0);
    }
  }

  private static <K, M> M cached(Map<K, M> cache, K key, Function<K, M> register) {
    M metric = cache.get(key);
    return metric != null ? metric : cache.computeIfAbsent(key, register);
  }
}
