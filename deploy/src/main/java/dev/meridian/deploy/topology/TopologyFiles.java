package dev.meridian.deploy.topology;

import dev.meridian.controller.admin.Role;
import dev.meridian.controller.admin.TokenHash;
import dev.meridian.core.Durations;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.tls.TlsFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * Writes a topology's files: the demo models, the demo operators' tokens and the operators file
 * (and the replicas' fault-injection token when the plan turns faults on), the TLS certificates,
 * and one YAML config per role, so every process starts from a real config file an operator can
 * read and copy.
 */
final class TopologyFiles {
  static final String MODEL = "fraud-score";
  static final String FALLBACK_MODEL = "fraud-score-lite";

  /**
   * The primary's file: an ONNX model run by ONNX Runtime, written by {@code FraudScoreModelTest}
   * (which says how to rewrite it).
   */
  private static final String PRIMARY_FILE = MODEL + ".onnx";

  /** The fallback's file: the built-in model type, cheap enough to stand in for the primary. */
  private static final String FALLBACK_FILE = FALLBACK_MODEL + ".json";

  /** The demo entities, seeded into every region's feature store. */
  static final String FEATURE_SEED = "demo-entities.json";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final TopologyPlan plan;
  private final Path config;

  TopologyFiles(TopologyPlan plan) {
    this.plan = plan;
    this.config = TopologyPlan.configDirectory(plan.directory());
  }

  /**
   * Writes everything: each role's file has a known name; the certificates, which a test may
   * rotate, are returned.
   */
  TopologyCertificates write() throws IOException {
    Files.createDirectories(config.resolve("models"));
    Files.createDirectories(plan.logs());
    copyModel(PRIMARY_FILE);
    copyModel(FALLBACK_FILE);
    try (InputStream seed = TopologyFiles.class.getResourceAsStream("/features/" + FEATURE_SEED)) {
      Files.copy(seed, featureSeed(), StandardCopyOption.REPLACE_EXISTING);
    }
    writeOperators();
    writeTokenUnlessPresent(plan.featureStorePasswordFile());
    if (plan.faults()) {
      writeTokenUnlessPresent(plan.faultsTokenFile());
    }
    TopologyCertificates certificates = TopologyCertificates.issue(plan);
    for (String region : plan.regions()) {
      Files.writeString(
          agentConfig(region),
          agentYaml(region)
              + dataPathTlsYaml(certificates.files(TopologyCertificates.agent(region)))
              + tracingYaml(),
          StandardCharsets.UTF_8);
    }
    for (int i = 0; i < plan.controllers(); i++) {
      Files.writeString(
          controllerConfig(i),
          controllerYaml(i) + tlsYaml(certificates.files("controller")),
          StandardCharsets.UTF_8);
    }
    Files.writeString(
        gatewayConfig(),
        gatewayYaml() + dataPathTlsYaml(certificates.files("gateway")) + tracingYaml(),
        StandardCharsets.UTF_8);
    return certificates;
  }

  /** The {@code tls} section of a role whose certificate is {@code files}. */
  private static String tlsYaml(TlsFiles files) {
    return "tls: {cert: %s, key: %s, ca: %s, refresh: %s}\n"
        .formatted(
            files.certificate().toAbsolutePath(),
            files.key().toAbsolutePath(),
            files.authority().toAbsolutePath(),
            Durations.format(files.refresh()));
  }

  /** The {@code tls} section of a role on the data path, empty when the plan keeps it plaintext. */
  private String dataPathTlsYaml(TlsFiles files) {
    return plan.plaintextDataPath() ? "" : tlsYaml(files);
  }

  /** The {@code tracing} section of the gateway and the agents, empty when tracing is off. */
  private String tracingYaml() {
    return plan.tracing()
        .map(
            tracing ->
                "tracing: {otlp-endpoint: '%s', sample-ratio: %s}\n"
                    .formatted(tracing.endpoint(), tracing.sampleRatio()))
        .orElse("");
  }

  /**
   * Writes a token for each role that has none yet (tokens survive restarts, so a terminal's {@code
   * drain} keeps working), then the operators file with their hashes: {@code demo-viewer}, {@code
   * demo-operator} and {@code demo-admin}.
   */
  private void writeOperators() throws IOException {
    Files.createDirectories(plan.tokenFile(Role.ADMIN).getParent());
    StringBuilder operators =
        new StringBuilder("# The demo's operators, written by the local topology.\noperators:\n");
    for (Role role : Role.values()) {
      Path file = plan.tokenFile(role);
      writeTokenUnlessPresent(file);
      operators.append(
          "  - {name: demo-%s, role: %s, token-hash: '%s'}\n"
              .formatted(
                  role.label(),
                  role.label(),
                  TokenHash.of(Files.readString(file, StandardCharsets.UTF_8).trim())));
    }
    Files.writeString(plan.operatorsFile(), operators, StandardCharsets.UTF_8);
  }

  /** Writes a new random token to {@code file}, unless an earlier run left one there. */
  private static void writeTokenUnlessPresent(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] token = new byte[24];
      RANDOM.nextBytes(token);
      Files.writeString(file, HexFormat.of().formatHex(token) + "\n");
    }
  }

  Path agentConfig(String region) {
    return config.resolve("agent-" + region + ".yaml");
  }

  Path controllerConfig(int index) {
    return config.resolve("controller-" + index + ".yaml");
  }

  /** The demo entities' file. */
  Path featureSeed() {
    return config.resolve(FEATURE_SEED);
  }

  Path gatewayConfig() {
    return TopologyPlan.gatewayConfig(plan.directory());
  }

  private void copyModel(String file) throws IOException {
    try (InputStream model = TopologyFiles.class.getResourceAsStream("/models/" + file)) {
      Files.copy(
          model, config.resolve("models").resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private String regionList() {
    return plan.regions().stream().collect(Collectors.joining(", ", "[", "]"));
  }

  private String agentYaml(String region) {
    return """
        # Region agent of %1$s, written by the local topology.
        region: %1$s
        %2$s
        registration: {ttl: 10s, deregister-critical-after: 1m}
        probe: {interval: 500ms, jitter: 100ms, timeout: 400ms}
        replicas: {mode: process, host: %7$s, start-timeout: 90s, drain-timeout: 5s,
                   reflection: true}
        metrics: {host: %7$s, port: %3$d}
        %8$s
        %11$s
        models:
          - {name: %4$s, type: onnx, path: models/%9$s, fallback: models/%10$s,
             replicas: %6$d, max-concurrent-calls: %12$d, memory-limit: 128m,
             latency-objective: 250ms,
             # An answer less sure than 0.6 either way (0.4 < p < 0.6) is the fallback's to give.
             confidence: {output: probability, threshold: 0.6},
             features: &card-features
               {input: features, entity: card_id, values: [
                 {name: amount, default: 0.0, max-age: 1h, hard-limit: 24h},
                 {name: velocity_1h, default: 0.0, max-age: 10m, hard-limit: 2h},
                 {name: account_age_days, default: 0.0, max-age: 24h, hard-limit: 720h},
                 {name: merchant_risk, default: 1.0, max-age: 1h, hard-limit: 24h}]}}
          - {name: %5$s, type: builtin, path: models/%10$s, replicas: 1, memory-limit: 96m,
             latency-objective: 250ms, features: *card-features}
        """
        .formatted(
            region,
            consulYaml(region),
            plan.agentMetricsPort(region),
            MODEL,
            FALLBACK_MODEL,
            plan.replicas(),
            plan.regionHost(region),
            faultsYaml(),
            PRIMARY_FILE,
            FALLBACK_FILE,
            featureStoreYaml(region),
            plan.replicaCapacity());
  }

  /**
   * The region's feature store: its Redis primary and replica when {@code redis-server} is
   * installed, otherwise the embedded store seeded with the demo entities.
   */
  private String featureStoreYaml(String region) {
    String host = plan.regionHost(region);
    return RedisStores.server().isPresent()
        ? "feature-store: {primary: %s, replica: %s, lookup-timeout: 50ms, password-file: %s}"
            .formatted(
                new ListenAddress(host, 0, host)
                    .advertised(plan.featureStorePort(region, RedisStores.PRIMARY)),
                new ListenAddress(host, 0, host)
                    .advertised(plan.featureStorePort(region, RedisStores.REPLICA)),
                plan.featureStorePasswordFile().toAbsolutePath())
        : "feature-store: {embedded: " + featureSeed().toAbsolutePath() + "}";
  }

  private String faultsYaml() {
    return plan.faults()
        ? "faults: {enabled: true, token-file: "
            + plan.faultsTokenFile().toAbsolutePath()
            + "}   # a game day: tests inject faults"
        : "faults: {enabled: false}";
  }

  private String controllerYaml(int index) {
    return """
        # Failover controller %1$d, written by the local topology.
        id: controller-%1$d
        regions: %2$s
        control-datacenter: %3$s
        admin: {host: %9$s, port: %4$d, reflection: true}
        metrics: {host: %9$s, port: %5$d}
        %6$s
        # Shorter than the production defaults so that a fault test sees a whole cycle within a
        # few seconds of load (a laptop demo reads better that way too): a crashed leader is
        # replaced within the session's invalidation plus a 5 s lock-delay (not 15 s + 15 s), a
        # drain reaches zero weight in 3 s over 3 steps (not 60 s), and a recovered region
        # regains its weight 2 s after recovering, over 3 s (not 10 s + 30 s).
        leader: {session-ttl: 10s, lock-delay: 5s, retry-interval: 500ms}
        routing: {drain-ramp: 3s, drain-steps: 3, recovery-hold: 2s, recovery-ramp: 3s,
                  recovery-steps: 3}
        # Each replica runs 64 calls at once unless the demo is told otherwise (--replica-capacity),
        # far more than a laptop's load keeps in flight, so the headroom limit is low enough for
        # slowed replicas (the fault tests' capacity scenario) to refuse a drain, and high enough
        # for every other drain to go ahead; the gateway's load, reported every second, is read
        # twice a second.
        drain: {max-utilisation: 0.15, load-refresh: 500ms}
        auth: {operators-file: %7$s}
        audit-log: %8$s
        """
        .formatted(
            index,
            regionList(),
            plan.homeRegion(),
            plan.controllerPort() + index,
            plan.controllerMetricsPort(index),
            consulYaml(plan.homeRegion()),
            plan.operatorsFile().toAbsolutePath(),
            plan.logs().resolve("admin-audit-controller-" + index + ".jsonl").toAbsolutePath(),
            plan.controlHost());
  }

  private String gatewayYaml() {
    return """
        # The gateway, written by the local topology.
        region: %1$s
        regions: %2$s
        # Callers present a certificate from the topology's authority (run/demo/tls/cli.*).
        listen: {host: %9$s, port: %3$d, client-auth: require, reflection: true}
        metrics: {host: %9$s, port: %4$d}
        %5$s
        last-known-good-file: %6$s
        drain-period: 1s
        load-report: {interval: 1s}
        # A replica that hangs (frozen, or slower than a model should be) costs a caller one
        # 500 ms attempt before the call moves to the other region, not the default 2 s; the
        # breaker counts attempts over 400 ms as failed and half-opens after 2 s (not 5 s), so a
        # sick region stops taking first attempts quickly and is re-tried soon after it heals.
        policies:
          attempt-timeout: 500ms
          breaker: {slow-call: 400ms, open-delay: 2s}
        models:
          - name: %7$s
            fallback-model: %8$s
            default-response:
              - {name: probability, datatype: FP32, shape: [1, 1], values: [0.5]}
        """
        .formatted(
            plan.homeRegion(),
            regionList(),
            plan.gatewayPort(),
            plan.gatewayMetricsPort(),
            consulYaml(plan.homeRegion()),
            plan.directory().resolve("gateway-routing.json").toAbsolutePath(),
            MODEL,
            FALLBACK_MODEL,
            plan.gatewayHost());
  }

  /** The {@code consul} section of a role whose Consul is {@code region}'s datacenter. */
  private String consulYaml(String region) {
    return "consul: {host: %s, port: %d, https: true, ca-file: %s}"
        .formatted(
            plan.consulHost(region),
            plan.consulPort(region),
            TopologyCertificates.authority(plan).toAbsolutePath());
  }
}
