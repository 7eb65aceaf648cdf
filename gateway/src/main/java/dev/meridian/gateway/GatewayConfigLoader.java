package dev.meridian.gateway;

import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.gateway.call.ModelPolicy;
import dev.meridian.gateway.outlier.OutlierConfig;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.registry.ConsulConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a gateway's YAML config file into a {@link GatewayConfig}. Every key is checked; an unknown
 * key, a missing required one or a bad value stops start-up with the key named.
 */
public final class GatewayConfigLoader {
  private GatewayConfigLoader() {}

  /**
   * Reads {@code root}.
   *
   * @param environment looks up environment variables, for the Consul token
   * @throws ConfigException naming the offending key
   */
  public static GatewayConfig load(ConfigNode root, Function<String, String> environment) {
    root.allowOnly(
        "region",
        "regions",
        "listen",
        "metrics-port",
        "consul",
        "last-known-good-file",
        "default-timeout",
        "drain-period",
        "limits",
        "models",
        "policies",
        "warm-up");
    ConfigNode listen = root.child("listen").allowOnly("host", "port");
    ConfigNode limits =
        root.child("limits")
            .allowOnly(
                "max-inbound-message-bytes",
                "max-inbound-metadata-bytes",
                "max-concurrent-calls-per-connection",
                "permit-keepalive-time");
    GatewayConfig.Builder builder =
        GatewayConfig.builder()
            .region(root.string("region"))
            .regions(root.strings("regions"))
            .host(listen.string("host", "127.0.0.1"))
            .port(listen.integer("port", 50051, 0, 65535))
            .consul(ConsulConfig.fromConfig(root.child("consul"), environment))
            .defaultTimeout(
                root.duration("default-timeout", Duration.ofSeconds(10), Duration.ofMillis(1)))
            .drainPeriod(root.duration("drain-period", Duration.ofSeconds(5), Duration.ZERO))
            .maxInboundMessageBytes(
                limits.integer("max-inbound-message-bytes", 4 * 1024 * 1024, 1, Integer.MAX_VALUE))
            .maxInboundMetadataBytes(
                limits.integer("max-inbound-metadata-bytes", 16 * 1024, 1, Integer.MAX_VALUE))
            .maxConcurrentCallsPerConnection(
                limits.integer("max-concurrent-calls-per-connection", 1000, 1, Integer.MAX_VALUE))
            .permitKeepAliveTime(
                limits.duration(
                    "permit-keepalive-time", Duration.ofSeconds(10), Duration.ofMillis(1)))
            .policies(policies(root.child("policies")));
    ConfigNode warmUp = root.child("warm-up").allowOnly("requests", "timeout");
    builder
        .warmUpRequests(warmUp.integer("requests", 200, 0, 10_000))
        .warmUpTimeout(warmUp.duration("timeout", Duration.ofSeconds(10), Duration.ofMillis(1)));
    if (root.has("metrics-port")) {
      builder.metricsPort(root.integer("metrics-port", 0, 0, 65535));
    }
    root.optionalString("last-known-good-file").map(Path::of).ifPresent(builder::lastKnownGoodFile);
    for (ConfigNode model : root.children("models")) {
      builder.model(model(model));
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  private static ModelPolicy model(ConfigNode model) {
    model.allowOnly("name", "fallback-model", "default-response");
    Optional<List<Tensor>> defaults = Optional.empty();
    if (model.has("default-response")) {
      List<Tensor> outputs = new ArrayList<>();
      for (ConfigNode tensor : model.children("default-response")) {
        outputs.add(TensorConfig.parse(tensor));
      }
      defaults = Optional.of(outputs);
    }
    return new ModelPolicy(model.string("name"), model.optionalString("fallback-model"), defaults);
  }

  private static OutlierConfig outlier(ConfigNode node, OutlierConfig d) {
    node.allowOnly(
        "consecutive-failures",
        "base-ejection",
        "max-ejection",
        "max-ejected-percent",
        "liveness-interval",
        "liveness-timeout");
    return new OutlierConfig(
        node.integer("consecutive-failures", d.consecutiveFailures(), 1, Integer.MAX_VALUE),
        node.duration("base-ejection", d.baseEjection(), Duration.ofMillis(1)),
        node.duration("max-ejection", d.maxEjection(), Duration.ofMillis(1)),
        node.integer("max-ejected-percent", d.maxEjectedPercent(), 0, 100),
        node.duration("liveness-interval", d.livenessInterval(), Duration.ofMillis(1)),
        node.duration("liveness-timeout", d.livenessTimeout(), Duration.ofMillis(1)));
  }

  private static PolicyConfig policies(ConfigNode node) {
    node.allowOnly(
        "attempt-timeout",
        "min-attempt-time",
        "latency-window",
        "retry",
        "hedging",
        "breaker",
        "bulkhead",
        "fallback",
        "outlier");
    PolicyConfig d = PolicyConfig.defaults();
    ConfigNode retry =
        node.child("retry")
            .allowOnly(
                "max-attempts",
                "backoff-initial",
                "backoff-max",
                "jitter",
                "budget-ratio",
                "budget-min-per-second",
                "transparent-max");
    ConfigNode breaker =
        node.child("breaker")
            .allowOnly(
                "failure-rate",
                "min-calls",
                "window",
                "slow-call",
                "open-delay",
                "trial-calls",
                "consecutive-failures");
    ConfigNode hedging =
        node.child("hedging").allowOnly("enabled", "percentile", "min-delay", "max-delay");
    ConfigNode bulkhead = node.child("bulkhead").allowOnly("max-concurrent", "max-wait");
    try {
      return PolicyConfig.builder()
          .maxAttempts(retry.integer("max-attempts", d.maxAttempts(), 1, 10))
          .backoffInitial(
              retry.duration("backoff-initial", d.backoffInitial(), Duration.ofMillis(1)))
          .backoffMax(retry.duration("backoff-max", d.backoffMax(), Duration.ofMillis(1)))
          .jitter(retry.number("jitter", d.jitter(), 0, 1))
          .retryRatio(retry.number("budget-ratio", d.retryRatio(), 0, 1))
          .minRetriesPerSecond(
              retry.integer("budget-min-per-second", d.minRetriesPerSecond(), 0, Integer.MAX_VALUE))
          .attemptTimeout(
              node.duration("attempt-timeout", d.attemptTimeout(), Duration.ofMillis(1)))
          .minAttemptTime(node.duration("min-attempt-time", d.minAttemptTime(), Duration.ZERO))
          .maxTransparentRetries(retry.integer("transparent-max", d.maxTransparentRetries(), 0, 10))
          .latencyWindow(node.duration("latency-window", d.latencyWindow(), Duration.ofMillis(1)))
          .hedging(hedging.bool("enabled", d.hedging()))
          .hedgePercentile(hedging.number("percentile", d.hedgePercentile(), 1, 100))
          .hedgeMinDelay(hedging.duration("min-delay", d.hedgeMinDelay(), Duration.ofMillis(1)))
          .hedgeMaxDelay(hedging.duration("max-delay", d.hedgeMaxDelay(), Duration.ofMillis(1)))
          .breakerFailureRatePercent(
              breaker.integer("failure-rate", d.breakerFailureRatePercent(), 1, 100))
          .breakerMinCalls(breaker.integer("min-calls", d.breakerMinCalls(), 1, Integer.MAX_VALUE))
          .breakerWindow(breaker.duration("window", d.breakerWindow(), Duration.ofMillis(1)))
          .breakerSlowCall(breaker.duration("slow-call", d.breakerSlowCall(), Duration.ofMillis(1)))
          .breakerOpenDelay(
              breaker.duration("open-delay", d.breakerOpenDelay(), Duration.ofMillis(1)))
          .breakerTrialCalls(
              breaker.integer("trial-calls", d.breakerTrialCalls(), 1, Integer.MAX_VALUE))
          .breakerConsecutiveFailures(
              breaker.integer(
                  "consecutive-failures", d.breakerConsecutiveFailures(), 1, Integer.MAX_VALUE))
          .bulkheadMaxConcurrent(
              bulkhead.integer("max-concurrent", d.bulkheadMaxConcurrent(), 1, Integer.MAX_VALUE))
          .bulkheadMaxWait(bulkhead.duration("max-wait", d.bulkheadMaxWait(), Duration.ZERO))
          .fallbackMaxConcurrent(
              node.child("fallback")
                  .allowOnly("max-concurrent")
                  .integer("max-concurrent", d.fallbackMaxConcurrent(), 1, Integer.MAX_VALUE))
          .outlier(outlier(node.child("outlier"), d.outlier()))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("policies." + e.getMessage(), e);
    }
  }
}
