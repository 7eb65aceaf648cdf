package dev.meridian.controller;

import static dev.meridian.controller.ControllerSettings.ADMIN;
import static dev.meridian.controller.ControllerSettings.ADMIN_LIMITS;
import static dev.meridian.controller.ControllerSettings.ADMIN_REFLECTION;
import static dev.meridian.controller.ControllerSettings.ADMIN_THREADS;
import static dev.meridian.controller.ControllerSettings.AUDIT_KEEP_FILES;
import static dev.meridian.controller.ControllerSettings.AUDIT_LOG;
import static dev.meridian.controller.ControllerSettings.AUDIT_MAX_FILE_BYTES;
import static dev.meridian.controller.ControllerSettings.CONTROL_DATACENTER;
import static dev.meridian.controller.ControllerSettings.FAILURE_BURST;
import static dev.meridian.controller.ControllerSettings.FAILURE_REFILL;
import static dev.meridian.controller.ControllerSettings.ID;
import static dev.meridian.controller.ControllerSettings.METRICS;
import static dev.meridian.controller.ControllerSettings.OPERATORS_FILE;
import static dev.meridian.controller.ControllerSettings.REGIONS;
import static dev.meridian.controller.ControllerSettings.TOKEN_ENV;
import static dev.meridian.controller.ControllerSettings.TOKEN_FILE;

import dev.meridian.controller.routing.DrainPolicy;
import dev.meridian.controller.routing.RoutingPolicy;
import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigFile;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.tls.TlsSettings;
import dev.meridian.registry.ConsulConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a {@link ControllerConfig} from YAML, through {@link ConfigFile} and {@link
 * ControllerSettings#SCHEMA}: unknown keys are rejected, absent ones take their defaults. Secrets
 * are never in the file: it names the environment variable (or, for the admin RPC, the operators
 * file, which holds only token hashes, or a shared token's file) that holds them. Every error names
 * the file and the key, for example {@code controller.yaml: routing.drain-steps: 0 (expected:
 * 1..100)}.
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
 * drain: {max-utilisation: 0.8, load-refresh: 2s}
 * auth: {operators-file: /etc/meridian/operators.yaml, failure-burst: 10, failure-refill: 6s}
 * audit-log: /var/log/meridian/admin-audit.jsonl
 * audit: {max-file-bytes: 67108864, keep-files: 10}
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
        auth(root.child("auth"), environment),
        new ControllerConfig.Audit(
            AUDIT_LOG.read(root),
            AUDIT_MAX_FILE_BYTES.read(root.child("audit")),
            AUDIT_KEEP_FILES.read(root.child("audit"))),
        TlsSettings.read(root.child("tls")),
        ADMIN_LIMITS.read(root.child("admin").child("limits")),
        ADMIN_THREADS.read(root.child("admin").child("limits")),
        ADMIN_REFLECTION.read(root.child("admin")),
        DrainPolicy.read(root.child("drain")));
  }

  private static ControllerConfig.Auth auth(ConfigNode auth, Map<String, String> environment) {
    Optional<Path> operators = OPERATORS_FILE.readOptional(auth);
    Optional<Path> file = TOKEN_FILE.readOptional(auth);
    Optional<String> variable = TOKEN_ENV.readOptional(auth);
    if (Stream.of(operators, file, variable).filter(Optional::isPresent).count() != 1) {
      throw auth.invalid(
          OPERATORS_FILE.leaf(),
          operators.map(Path::toString).orElse(null),
          "exactly one of auth.operators-file, auth.token-file and auth.token-env");
    }
    return new ControllerConfig.Auth(
        operators,
        operators.isPresent()
            ? Optional.empty()
            : Optional.of(sharedToken(file, variable, auth, environment)),
        FAILURE_BURST.read(auth),
        FAILURE_REFILL.read(auth));
  }

  private static String sharedToken(
      Optional<Path> file,
      Optional<String> variable,
      ConfigNode auth,
      Map<String, String> environment) {
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
