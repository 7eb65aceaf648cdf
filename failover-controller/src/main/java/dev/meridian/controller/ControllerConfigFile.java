package dev.meridian.controller;

import static dev.meridian.controller.ControllerSettings.ADMIN;
import static dev.meridian.controller.ControllerSettings.ADMIN_LIMITS;
import static dev.meridian.controller.ControllerSettings.ADMIN_THREADS;
import static dev.meridian.controller.ControllerSettings.AUDIT_LOG;
import static dev.meridian.controller.ControllerSettings.CONTROL_DATACENTER;
import static dev.meridian.controller.ControllerSettings.ID;
import static dev.meridian.controller.ControllerSettings.METRICS;
import static dev.meridian.controller.ControllerSettings.REGIONS;
import static dev.meridian.controller.ControllerSettings.TOKEN_ENV;
import static dev.meridian.controller.ControllerSettings.TOKEN_FILE;

import dev.meridian.controller.routing.RoutingPolicy;
import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigFile;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.registry.ConsulConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link ControllerConfig} from YAML, through {@link ConfigFile} and {@link
 * ControllerSettings#SCHEMA}: unknown keys are rejected, absent ones take their defaults. Secrets
 * are never in the file: it names the environment variable (or, for the admin token, the file) that
 * holds them. Every error names the file and the key, for example {@code controller.yaml:
 * routing.drain-steps: 0 (expected: 1..100)}.
 *
 * <pre>
 * id: controller-1
 * regions: [eu-west, us-east]
 * control-datacenter: eu-west
 * admin: {host: 0.0.0.0, port: 7400, advertise-host: ctl-1.internal}
 * metrics: {host: 0.0.0.0, port: 9400, advertise-host: ctl-1.internal}
 * consul: {host: consul.internal, port: 8500, token-env: MERIDIAN_CONSUL_TOKEN, max-wait: 60s}
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
    return ConfigFile.read(file, ControllerSettings.SCHEMA, root -> build(root, environment));
  }

  /** Reads an already parsed file, as {@link #load} does. */
  static ControllerConfig read(ConfigNode root, Map<String, String> environment) {
    return ConfigFile.read(root, ControllerSettings.SCHEMA, node -> build(node, environment));
  }

  private static ControllerConfig build(ConfigNode root, Map<String, String> environment) {
    List<String> regions = REGIONS.read(root);
    return new ControllerConfig(
        ID.read(root),
        regions,
        CONTROL_DATACENTER.readOptional(root).orElse(regions.get(0)),
        ADMIN.read(root.child("admin")),
        METRICS.read(root.child("metrics")),
        ConsulConfig.fromConfig(root.child("consul"), environment::get),
        ControllerConfig.Leader.read(root.child("leader")),
        RoutingPolicy.read(root.child("routing")),
        adminToken(root.child("auth"), environment),
        AUDIT_LOG.read(root),
        ADMIN_LIMITS.read(root.child("admin").child("limits")),
        ADMIN_THREADS.read(root.child("admin").child("limits")));
  }

  private static String adminToken(ConfigNode auth, Map<String, String> environment) {
    Optional<Path> file = TOKEN_FILE.readOptional(auth);
    Optional<String> variable = TOKEN_ENV.readOptional(auth);
    if (file.isPresent() == variable.isPresent()) {
      throw auth.invalid(
          TOKEN_FILE.leaf(),
          file.map(Path::toString).orElse(null),
          "exactly one of auth.token-file and auth.token-env");
    }
    if (variable.isPresent()) {
      String token = environment.get(variable.get());
      if (token == null || token.isBlank()) {
        throw auth.invalid(
            TOKEN_ENV.leaf(), variable.get(), "the name of a set, non-empty variable");
      }
      return token.trim();
    }
    try {
      String token = Files.readString(file.get(), StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw auth.invalid(TOKEN_FILE.leaf(), file.get().toString(), "a file holding the token");
      }
      return token;
    } catch (IOException e) {
      throw auth.invalid(
          TOKEN_FILE.leaf(), file.get() + " (" + e.getMessage() + ")", "a readable file");
    }
  }
}
