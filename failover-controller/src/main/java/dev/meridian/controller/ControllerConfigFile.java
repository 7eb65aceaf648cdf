package dev.meridian.controller;

import dev.meridian.controller.routing.RoutingPolicy;
import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.registry.ConsulConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Reads a {@link ControllerConfig} from YAML. Secrets are never in the file: it names the
 * environment variable (or, for the admin token, the file) that holds them. Every error names the
 * file and the key, for example {@code controller.yaml: routing.drain-steps: 0 (expected: 1..100)}.
 *
 * <pre>
 * id: controller-1
 * regions: [eu-west, us-east]
 * control-datacenter: eu-west
 * admin: {host: 0.0.0.0, port: 7400, advertise-host: ctl-1.internal}
 * metrics: {host: 0.0.0.0, port: 9400}
 * consul: {host: 127.0.0.1, port: 8500, token-env: MERIDIAN_CONSUL_TOKEN, max-wait: 60s}
 * leader: {session-ttl: 15s, lock-delay: 15s, retry-interval: 1s}
 * routing: {evaluation-interval: 1s, degraded-below: 0.75, recovery-hold: 10s,
 *           recovery-ramp: 30s, recovery-steps: 3, drain-ramp: 60s, drain-steps: 4}
 * auth: {token-env: MERIDIAN_ADMIN_TOKEN}   # or token-file: /etc/meridian/admin-token
 * audit-log: /var/log/meridian/admin-audit.jsonl
 * </pre>
 */
public final class ControllerConfigFile {
  private ControllerConfigFile() {}

  /**
   * Loads {@code file}, reading secrets from {@code environment}.
   *
   * @throws ConfigException naming the file and the offending key
   */
  public static ControllerConfig load(Path file, Map<String, String> environment) {
    return parse(ConfigNode.load(file), file.getFileName().toString(), environment);
  }

  /** Builds the configuration from a parsed file; {@code source} names it in errors. */
  static ControllerConfig parse(ConfigNode root, String source, Map<String, String> environment) {
    root.allowOnly(
        "id",
        "regions",
        "control-datacenter",
        "admin",
        "metrics",
        "consul",
        "leader",
        "routing",
        "auth",
        "audit-log");
    ConfigNode admin = root.child("admin").allowOnly("host", "port", "advertise-host");
    ConfigNode metrics = root.child("metrics").allowOnly("host", "port");
    ConfigNode leader =
        root.child("leader").allowOnly("session-ttl", "lock-delay", "retry-interval");
    ConfigNode routing =
        root.child("routing")
            .allowOnly(
                "evaluation-interval",
                "degraded-below",
                "recovery-hold",
                "recovery-ramp",
                "recovery-steps",
                "drain-ramp",
                "drain-steps");
    RoutingPolicy defaults = RoutingPolicy.builder().build();
    try {
      return ControllerConfig.builder()
          .id(root.string("id"))
          .regions(root.strings("regions"))
          .controlDatacenter(root.optionalString("control-datacenter").orElse(null))
          .adminHost(admin.string("host", "127.0.0.1"))
          .adminPort(admin.integer("port", 7400, 0, 65535))
          .advertiseHost(admin.optionalString("advertise-host").orElse(null))
          .metricsHost(metrics.string("host", "127.0.0.1"))
          .metricsPort(metrics.integer("port", 9400, 0, 65535))
          .consul(ConsulConfig.fromConfig(root.child("consul"), environment::get))
          .sessionTtl(leader.duration("session-ttl", Duration.ofSeconds(15), Duration.ZERO))
          .lockDelay(leader.duration("lock-delay", Duration.ofSeconds(15), Duration.ZERO))
          .leaderRetryInterval(
              leader.duration("retry-interval", Duration.ofSeconds(1), Duration.ofMillis(1)))
          .evaluationInterval(
              routing.duration("evaluation-interval", Duration.ofSeconds(1), Duration.ofMillis(1)))
          .routing(
              RoutingPolicy.builder()
                  .degradedBelow(
                      routing.number("degraded-below", defaults.degradedBelow(), 0.01, 1))
                  .recoveryHold(
                      routing.duration("recovery-hold", defaults.recoveryHold(), Duration.ZERO))
                  .recoveryRamp(
                      routing.duration("recovery-ramp", defaults.recoveryRamp(), Duration.ZERO))
                  .recoverySteps(
                      routing.integer("recovery-steps", defaults.recoverySteps(), 1, 100))
                  .drainRamp(routing.duration("drain-ramp", defaults.drainRamp(), Duration.ZERO))
                  .drainSteps(routing.integer("drain-steps", defaults.drainSteps(), 1, 100))
                  .build())
          .adminToken(adminToken(root.child("auth"), environment))
          .auditLog(Path.of(root.string("audit-log")))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": " + e.getMessage(), e);
    }
  }

  private static String adminToken(ConfigNode auth, Map<String, String> environment) {
    auth.allowOnly("token-file", "token-env");
    if (auth.has("token-file") == auth.has("token-env")) {
      throw auth.invalid("token-file", null, "exactly one of auth.token-file and auth.token-env");
    }
    if (auth.has("token-env")) {
      String variable = auth.string("token-env");
      String token = environment.get(variable);
      if (token == null || token.isBlank()) {
        throw auth.invalid("token-env", variable, "the name of a set, non-empty variable");
      }
      return token.trim();
    }
    Path file = Path.of(auth.string("token-file"));
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw auth.invalid("token-file", file.toString(), "a file holding the token");
      }
      return token;
    } catch (IOException e) {
      throw auth.invalid("token-file", file + " (" + e.getMessage() + ")", "a readable file");
    }
  }
}
