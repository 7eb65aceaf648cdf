package dev.meridian.agent.supervision;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.health.HealthStatus;
import dev.meridian.core.metrics.BucketHistogram;
import dev.meridian.core.metrics.MetricNames;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What the agent records about one replica it supervises: {@code agent.restarts} (a counter),
 * {@code agent.probe.duration.seconds} (canary probes), {@code agent.health} (1 for the status last
 * reported, in its {@code status} label, 0 for the others), each tagged {@code model} and {@code
 * replica}, and {@code agent.consul.update.duration.seconds}, check writes of every replica.
 * Thread-safe.
 */
final class SupervisorMetrics {
  final Counter restarts;
  final BucketHistogram probeLatency;
  final BucketHistogram consulUpdates;

  SupervisorMetrics(
      MetricRegistry registry, String model, String replica, Supplier<HealthStatus> health) {
    this.restarts = registry.counter(name("agent.restarts", model, replica));
    this.probeLatency =
        BucketHistogram.latency(registry, name("agent.probe.duration.seconds", model, replica));
    this.consulUpdates = BucketHistogram.latency(registry, "agent.consul.update.duration.seconds");
    for (HealthStatus status : HealthStatus.values()) {
      registry.gauge(
          MetricNames.tagged(
              "agent.health",
              "model",
              model,
              "replica",
              replica,
              "status",
              status.name().toLowerCase(Locale.ROOT)),
          () -> (Gauge<Integer>) () -> health.get() == status ? 1 : 0);
    }
  }

  private static String name(String base, String model, String replica) {
    return MetricNames.tagged(base, "model", model, "replica", replica);
  }
}
