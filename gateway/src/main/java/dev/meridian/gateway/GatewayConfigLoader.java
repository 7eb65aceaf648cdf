package dev.meridian.gateway;

import static dev.meridian.gateway.GatewaySettings.DEFAULT_TIMEOUT;
import static dev.meridian.gateway.GatewaySettings.DRAIN_PERIOD;
import static dev.meridian.gateway.GatewaySettings.LAST_KNOWN_GOOD_FILE;
import static dev.meridian.gateway.GatewaySettings.LEGACY_METRICS_PORT;
import static dev.meridian.gateway.GatewaySettings.LIMITS;
import static dev.meridian.gateway.GatewaySettings.LISTEN;
import static dev.meridian.gateway.GatewaySettings.LISTEN_CLIENT_AUTH;
import static dev.meridian.gateway.GatewaySettings.LISTEN_REFLECTION;
import static dev.meridian.gateway.GatewaySettings.LOAD_REPORT_INTERVAL;
import static dev.meridian.gateway.GatewaySettings.METRICS;
import static dev.meridian.gateway.GatewaySettings.MODEL_DEFAULT_RESPONSE;
import static dev.meridian.gateway.GatewaySettings.MODEL_FALLBACK;
import static dev.meridian.gateway.GatewaySettings.MODEL_NAME;
import static dev.meridian.gateway.GatewaySettings.REGION;
import static dev.meridian.gateway.GatewaySettings.REGIONS;
import static dev.meridian.gateway.GatewaySettings.SCHEMA;
import static dev.meridian.gateway.GatewaySettings.WARM_UP_REQUESTS;
import static dev.meridian.gateway.GatewaySettings.WARM_UP_TIMEOUT;

import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigFile;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.tls.TlsSettings;
import dev.meridian.core.tracing.TracingSettings;
import dev.meridian.gateway.call.ModelPolicy;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.registry.ConsulConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a gateway's YAML config file into a {@link GatewayConfig}, through {@link GatewaySettings}:
 * an unknown key, a missing required one or a bad value stops start-up with the file and key named.
 */
public final class GatewayConfigLoader {
  private GatewayConfigLoader() {}

  /**
   * Reads {@code root}.
   *
   * @param environment looks up environment variables, for the Consul token
   * @throws ConfigException naming the file and the offending key
   */
  public static GatewayConfig load(ConfigNode root, Function<String, String> environment) {
    return ConfigFile.read(root, SCHEMA, node -> build(node, environment));
  }

  private static GatewayConfig build(ConfigNode root, Function<String, String> environment) {
    ListenAddress metrics = METRICS.read(root.child("metrics"));
    Optional<Integer> legacyMetricsPort = LEGACY_METRICS_PORT.readOptional(root);
    ConfigNode warmUp = root.child("warm-up");
    GatewayConfig.Builder builder =
        GatewayConfig.builder()
            .region(REGION.read(root))
            .regions(REGIONS.read(root))
            .listen(LISTEN.read(root.child("listen")))
            .clientAuth(LISTEN_CLIENT_AUTH.read(root.child("listen")))
            .reflection(LISTEN_REFLECTION.read(root.child("listen")))
            .tls(TlsSettings.read(root.child("tls")))
            .tracing(TracingSettings.read(root.child("tracing")))
            .metrics(
                legacyMetricsPort
                    .map(port -> new ListenAddress(metrics.host(), port, metrics.advertiseHost()))
                    .orElse(metrics))
            .consul(ConsulConfig.fromConfig(root.child("consul"), environment))
            .defaultTimeout(DEFAULT_TIMEOUT.read(root))
            .drainPeriod(DRAIN_PERIOD.read(root))
            .loadReportInterval(LOAD_REPORT_INTERVAL.read(root.child("load-report")))
            .limits(LIMITS.read(root.child("limits")))
            .policies(PolicyConfig.read(root.child("policies")))
            .warmUpRequests(WARM_UP_REQUESTS.read(warmUp))
            .warmUpTimeout(WARM_UP_TIMEOUT.read(warmUp));
    LAST_KNOWN_GOOD_FILE.readOptional(root).map(Path::of).ifPresent(builder::lastKnownGoodFile);
    for (ConfigNode model : root.children("models")) {
      builder.model(
          new ModelPolicy(
              MODEL_NAME.read(model),
              MODEL_FALLBACK.readOptional(model),
              MODEL_DEFAULT_RESPONSE.readOptional(model)));
    }
    return builder.build();
  }
}
