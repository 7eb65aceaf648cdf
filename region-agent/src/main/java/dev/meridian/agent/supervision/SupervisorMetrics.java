package dev.meridian.agent.supervision;

import com.codahale.metrics.Counter;
import com.codahale.metrics.ExponentiallyDecayingReservoir;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.meridian.agent.health.HealthStatus;
import dev.meridian.core.metrics.MetricNames;
import dev.meridian.core.metrics.SummingReservoir;
import java.util.function.Supplier;

/**
 * What the agent records about one replica it supervises: {@code agent.restarts} (a counter),
 * {@code agent.probe.latency} (a timer of canary probes), {@code agent.health} (the status last
 * reported: 0 passing, 1 warning, 2 critical), each tagged {@code model} and {@code replica}, and
 * {@code agent.consul.update}, a timer of check writes shared by all replicas. Thread-safe.
 */
final class SupervisorMetrics {
  final Counter restarts;
  final Timer probeLatency;
  final Timer consulUpdates;

  SupervisorMetrics(
      MetricRegistry registry, String model, String replica, Supplier<HealthStatus> health) {
    this.restarts = registry.counter(name("agent.restarts", model, replica));
    this.probeLatency =
        registry.timer(
            name("agent.probe.latency", model, replica), SupervisorMetrics::summingTimer);
    this.consulUpdates = registry.timer("agent.consul.update", SupervisorMetrics::summingTimer);
    registry.gauge(
        name("agent.health", model, replica), () -> (Gauge<Integer>) () -> health.get().ordinal());
  }

  private static String name(String base, String model, String replica) {
    return MetricNames.tagged(base, "model", model, "replica", replica);
  }

  private static Timer summingTimer() {
    return new Timer(new SummingReservoir(new ExponentiallyDecayingReservoir()));
  }
}
