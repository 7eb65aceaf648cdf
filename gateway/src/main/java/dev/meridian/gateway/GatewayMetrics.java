package dev.meridian.gateway;

import com.codahale.metrics.ExponentiallyDecayingReservoir;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.failsafe.CircuitBreaker;
import dev.meridian.core.metrics.MetricNames;
import dev.meridian.core.metrics.SummingReservoir;
import dev.meridian.gateway.call.CallListener;
import dev.meridian.gateway.load.LoadMeter;
import dev.meridian.gateway.outlier.OutlierDetector;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import dev.meridian.gateway.routing.ReplicaAvailability;
import dev.meridian.gateway.routing.RoutingState;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's Dropwizard metrics, in the constructor-injected registry: call latency and count
 * per model and outcome (how it was served, or the error), attempts per call, attempt latency per
 * region and status, refusals by breaker and bulkhead, breaker state per region and model, replica
 * ejections by cause, degraded answers (and those given while a region could have answered, which
 * are defects), and the routing table's age. It also hands every attempt's duration to the {@link
 * LoadMeter}, for the load reports. Thread-safe.
 */
public final class GatewayMetrics
    implements CallListener, RegionPolicyRegistry.BreakerListener, OutlierDetector.Listener {
  private final MetricRegistry registry;
  private final Map<String, Integer> breakerStates = new ConcurrentHashMap<>();
  private final LoadMeter load;

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
    timer(
            MetricNames.tagged(
                "gateway.attempt.latency",
                "model",
                model,
                "region",
                region,
                "status",
                status.name()))
        .update(elapsed.toNanos(), TimeUnit.NANOSECONDS);
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
  public void call(String model, String outcome, int attempts, Duration elapsed) {
    timer(MetricNames.tagged("gateway.call.latency", "model", model, "outcome", outcome))
        .update(elapsed.toNanos(), TimeUnit.NANOSECONDS);
    histogram(MetricNames.tagged("gateway.call.attempts", "model", model)).update(attempts);
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

  @Override
  public void onStateChange(String region, String model, CircuitBreaker.State state) {
    String name = MetricNames.tagged("gateway.breaker.state", "region", region, "model", model);
    breakerStates.put(name, state.ordinal());
    registry.gauge(name, () -> (Gauge<Integer>) () -> breakerStates.getOrDefault(name, 0));
  }

  private Timer timer(String name) {
    return registry.timer(
        name, () -> new Timer(new SummingReservoir(new ExponentiallyDecayingReservoir())));
  }

  private Histogram histogram(String name) {
    return registry.histogram(
        name, () -> new Histogram(new SummingReservoir(new ExponentiallyDecayingReservoir())));
  }
}
