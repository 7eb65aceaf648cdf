package dev.meridian.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.features.ConfidenceRule;
import dev.meridian.agent.features.FeatureInputs;
import dev.meridian.agent.features.FeatureSpec;
import dev.meridian.agent.features.FeatureStoreConfig;
import dev.meridian.agent.launch.ReplicaSpec;
import dev.meridian.agent.model.ModelType;
import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.tracing.TracingConfig;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
  private static final String MINIMAL =
      "region: eu-west\nmodels:\n  - {name: m, type: builtin, path: m.json}\n";
  private static final String LOOPBACK = ListenAddress.DEFAULT_HOST;

  @TempDir Path dir;

  @BeforeEach
  void writeModelFiles() throws Exception {
    Files.writeString(dir.resolve("faults-token"), "admin\n");
    Files.writeString(dir.resolve("empty-token"), " \n");
    Files.createDirectories(dir.resolve("models"));
    Files.writeString(dir.resolve("m.json"), "{}");
    Files.writeString(dir.resolve("models/fraud-score.json"), "{}");
    Files.writeString(dir.resolve("models/fraud-score-fallback.json"), "{}");
  }

  private AgentConfig parse(String yaml) {
    return AgentConfigLoader.parse(
        ConfigNode.parse(new StringReader(yaml), "agent.yaml"),
        dir,
        Map.of("MERIDIAN_CONSUL_TOKEN", "secret", "OTHER_TOKEN", "other")::get);
  }

  @Test
  void theExampleFileLoadsWithItsDocumentedValues() throws Exception {
    Path file = dir.resolve("agent.yaml");
    try (InputStream example = AgentConfigLoader.class.getResourceAsStream("agent-example.yaml")) {
      Files.copy(example, file);
    }

    AgentConfig config = AgentConfigLoader.load(file);

    assertThat(config.region()).isEqualTo("eu-west");
    assertThat(config.mode()).isEqualTo(ReplicaMode.PROCESS);
    assertThat(config.faultsEnabled()).isFalse();
    ModelConfig model = config.models().get(0);
    assertThat(model.type()).isEqualTo(ModelType.BUILTIN);
    assertThat(model.path()).contains(dir.resolve("models/fraud-score.json"));
    assertThat(model.fallback()).contains(dir.resolve("models/fraud-score-fallback.json"));
    assertThat(model.replicas()).isEqualTo(2);
    assertThat(model.memoryLimit().jvmOption()).isEqualTo("-Xmx512m");
    // The example spells out every default: a minimal file must mean the same.
    AgentConfig minimal = parse(MINIMAL);
    assertThat(minimal.consul().host()).isEqualTo(config.consul().host());
    assertThat(minimal.consul().port()).isEqualTo(config.consul().port());
    assertThat(minimal.consul().maxWait()).isEqualTo(config.consul().maxWait());
    assertThat(minimal.probe()).isEqualTo(config.probe());
    assertThat(minimal.restart()).isEqualTo(config.restart());
    assertThat(minimal.ttl()).isEqualTo(config.ttl());
    assertThat(minimal.deregisterCriticalAfter()).isEqualTo(config.deregisterCriticalAfter());
    assertThat(minimal.startTimeout()).isEqualTo(config.startTimeout());
    assertThat(minimal.drainTimeout()).isEqualTo(config.drainTimeout());
    assertThat(minimal.replicas()).isEqualTo(config.replicas());
    assertThat(minimal.metrics()).isEqualTo(config.metrics());
    ModelConfig minimalModel = minimal.models().get(0);
    assertThat(minimalModel.maxConcurrentCalls()).isEqualTo(model.maxConcurrentCalls());
    assertThat(minimalModel.latencyObjective()).isEqualTo(model.latencyObjective());
    assertThat(minimalModel.memoryLimit()).isEqualTo(model.memoryLimit());
    assertThat(minimalModel.warmUpRequests()).isEqualTo(model.warmUpRequests());
  }

  @Test
  void defaults() {
    AgentConfig config = parse(MINIMAL);
    assertThat(config.faultsEnabled()).isFalse();
    assertThat(config.mode()).isEqualTo(ReplicaMode.PROCESS);
    assertThat(config.consul().port()).isEqualTo(8500);
    assertThat(config.consul().token()).contains("secret");
    assertThat(config.ttl()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.deregisterCriticalAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.probe())
        .isEqualTo(new ProbeConfig(Duration.ofSeconds(1), Duration.ofMillis(200), ms(500), 2, 3));
    assertThat(config.restart())
        .isEqualTo(new RestartConfig(ms(200), Duration.ofSeconds(10), 5, Duration.ofMinutes(1)));
    assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.replicas()).isEqualTo(new ListenAddress(LOOPBACK, 0, LOOPBACK));
    assertThat(config.metrics()).isEqualTo(new ListenAddress(LOOPBACK, 9464, LOOPBACK));
    ModelConfig model = config.models().get(0);
    assertThat(model.version()).isEqualTo("1");
    assertThat(model.fallback()).isEmpty();
    assertThat(model.replicas()).isEqualTo(1);
    assertThat(model.maxConcurrentCalls()).isEqualTo(64);
    assertThat(model.latencyObjective()).isEqualTo(ms(100));
    assertThat(model.memoryLimit().text()).isEqualTo("512m");
    assertThat(model.warmUpRequests()).isEqualTo(200);
    assertThat(
            parse(MINIMAL.replace("name: m,", "name: m, warm-up: {requests: 0},"))
                .models()
                .get(0)
                .warmUpRequests())
        .as("0 disables")
        .isZero();
  }

  @Test
  void theJitterIsAFifthOfTheIntervalUnlessConfigured() {
    assertThat(parse(MINIMAL + "probe: {interval: 500ms}\n").probe().jitter()).isEqualTo(ms(100));
    assertThat(parse(MINIMAL + "probe: {interval: 500ms, jitter: 0ms}\n").probe().jitter())
        .isZero();
  }

  /** Every key the README's table listed for the agent before its keys became Settings. */
  @Test
  void everyKeyTheAgentAlwaysTookIsStillReadUnderItsName() {
    AgentConfig config =
        parse(
            """
            region: us-east
            consul: {host: consul.internal, port: 8501, token-env: OTHER_TOKEN, max-wait: 30s}
            registration: {ttl: 20s, deregister-critical-after: 2m}
            probe: {interval: 2s, jitter: 300ms, timeout: 1s, successes-before-passing: 4,
                    failures-before-critical: 5}
            restart: {initial-backoff: 100ms, max-backoff: 5s, crash-loop-restarts: 7,
                      crash-loop-window: 2m}
            replicas: {mode: in-process, start-timeout: 30s, drain-timeout: 2s}
            metrics: {host: 10.0.0.7, port: 9999}
            faults: {enabled: true, token-file: faults-token}
            models:
              - name: fraud-score
                version: "3"
                type: onnx
                path: models/fraud-score.json
                fallback: models/fraud-score-fallback.json
                replicas: 3
                max-concurrent-calls: 16
                latency-objective: 50ms
                memory-limit: 1g
                warm-up: {requests: 20}
            """);

    assertThat(config.region()).isEqualTo("us-east");
    assertThat(config.consul().host()).isEqualTo("consul.internal");
    assertThat(config.consul().port()).isEqualTo(8501);
    assertThat(config.consul().token()).contains("other");
    assertThat(config.consul().maxWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.ttl()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.deregisterCriticalAfter()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.probe())
        .isEqualTo(new ProbeConfig(Duration.ofSeconds(2), ms(300), Duration.ofSeconds(1), 4, 5));
    assertThat(config.restart())
        .isEqualTo(new RestartConfig(ms(100), Duration.ofSeconds(5), 7, Duration.ofMinutes(2)));
    assertThat(config.mode()).isEqualTo(ReplicaMode.IN_PROCESS);
    assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.metrics()).isEqualTo(new ListenAddress("10.0.0.7", 9999, "10.0.0.7"));
    assertThat(config.faultsTokenFile()).contains(dir.resolve("faults-token"));
    assertThat(config.models())
        .containsExactly(
            new ModelConfig(
                "fraud-score",
                "3",
                ModelType.ONNX,
                Optional.of(dir.resolve("models/fraud-score.json")),
                Optional.of(dir.resolve("models/fraud-score-fallback.json")),
                Optional.empty(),
                3,
                16,
                ms(50),
                MemoryLimit.parse("1g").orElseThrow(),
                20,
                Optional.empty(),
                Optional.empty()));
  }

  @Test
  void replicaServerLimitsAreReadUnderReplicasLimitsAndReachTheSpec() throws Exception {
    AgentConfig config =
        parse(
            MINIMAL
                + "replicas: {limits: {max-rst-frames-per-window: 77, max-connection-idle: 5m}}\n");

    assertThat(config.replicaLimits().maxRstFramesPerWindow()).isEqualTo(77);
    assertThat(config.replicaLimits().maxConnectionIdle()).isEqualTo(Duration.ofMinutes(5));
    assertThat(parse(MINIMAL).replicaLimits()).isEqualTo(AgentSettings.REPLICA_LIMITS.defaults());
    ReplicaSpec spec = ReplicaSpec.of(config, config.models().get(0), 0);
    assertThat(ReplicaSpec.fromJson(spec.toJson())).isEqualTo(spec);
    assertThat(ReplicaSpec.fromJson(spec.toJson()).limits()).isEqualTo(config.replicaLimits());
  }

  @Test
  void tracingIsOffUnlessAnEndpointIsNamedAndReachesEveryReplicaSpec() throws Exception {
    assertThat(parse(MINIMAL).tracing()).isEmpty();
    AgentConfig config =
        parse(
            MINIMAL
                + "tracing: {otlp-endpoint: 'http://collector.eu-west:4318/v1/traces',"
                + " sample-ratio: 0.5}\n");

    assertThat(config.tracing())
        .contains(new TracingConfig(URI.create("http://collector.eu-west:4318/v1/traces"), 0.5));
    ReplicaSpec spec = ReplicaSpec.of(config, config.models().get(0), 0);
    assertThat(ReplicaSpec.fromJson(spec.toJson()).tracingConfig()).isEqualTo(config.tracing());
    assertBad(MINIMAL + "tracing: {otlp-endpoint: 'collector:4318'}\n", "tracing.otlp-endpoint");
  }

  @Test
  void replicasAndMetricsBindAndAdvertiseTheConfiguredAddresses() throws Exception {
    AgentConfig config =
        parse(
            MINIMAL
                + "replicas: {host: 10.0.0.5, advertise-host: agent-1.eu-west}\n"
                + "metrics: {host: 10.0.0.6, port: 0, advertise-host: metrics.eu-west}\n");

    assertThat(config.replicas()).isEqualTo(new ListenAddress("10.0.0.5", 0, "agent-1.eu-west"));
    assertThat(config.metrics()).isEqualTo(new ListenAddress("10.0.0.6", 0, "metrics.eu-west"));
    assertThat(parse(MINIMAL + "replicas: {host: 10.0.0.5}\n").replicas().advertiseHost())
        .as("the bound host, by default")
        .isEqualTo("10.0.0.5");
    assertThat(parse(MINIMAL + "replicas: {host: 0.0.0.0}\n").replicas().advertiseHost())
        .as("this machine's name, for a wildcard")
        .isEqualTo(InetAddress.getLocalHost().getHostName());
  }

  @Test
  void theTokenComesFromTheNamedEnvironmentVariable() {
    assertThat(parse(MINIMAL + "consul: {token-env: OTHER_TOKEN}\n").consul().token())
        .contains("other");
    assertThat(parse(MINIMAL + "consul: {token-env: UNSET}\n").consul().token()).isEmpty();
  }

  @Test
  void badValuesNameTheFileAndTheirKey() {
    assertBad(
        MINIMAL.replace("name: m,", "name: m, replicas: 0,"),
        "agent.yaml: models[0].replicas: 0 (expected: 1..64)");
    assertBad(
        MINIMAL.replace("builtin", "tensorflow"),
        "agent.yaml: models[0].type: 'tensorflow' (expected: builtin or onnx or oip)");
    assertBad(
        MINIMAL.replace("m.json", "missing.json"),
        "agent.yaml: models[0].path: 'missing.json' (expected: a readable file (resolved to "
            + dir.resolve("missing.json")
            + "))");
    assertBad(
        MINIMAL.replace("name: m,", "name: m, fallback: missing.json,"),
        "agent.yaml: models[0].fallback: 'missing.json' (expected: a readable file");
    assertBad(
        MINIMAL.replace("name: m,", "name: m, memory-limit: 10m,"),
        "agent.yaml: models[0].memory-limit: '10m' (expected: a heap size of 32m or more,"
            + " such as 512m or 2g)");
    assertBad(
        MINIMAL.replace("name: m,", "name: m, memory-limit: lots,"),
        "agent.yaml: models[0].memory-limit: 'lots' (expected: a heap size such as 512m or 2g)");
    assertBad(
        MINIMAL.replace("name: m,", "name: m, latency-objective: soon,"),
        "agent.yaml: models[0].latency-objective: 'soon' (expected: a duration such as 250ms,"
            + " 10s or 5m)");
    assertBad(
        MINIMAL.replace("name: m,", "name: m, warm-up: {requests: -1},"),
        "agent.yaml: models[0].warm-up.requests: -1 (expected: 0..10000)");
    assertBad(
        MINIMAL.replace("name: m,", "name: 'm m',"),
        "agent.yaml: models[0].name: 'm m' (expected: 1 to 128 letters or digits, with single '.',"
            + " '_' or '-' between them)");
    assertBad(
        MINIMAL.replace("name: m,", "name: 'a..b',"),
        "agent.yaml: models[0].name: 'a..b' (expected: 1 to 128 letters or digits, with single"
            + " '.', '_' or '-' between them)");
    assertBad(
        MINIMAL + "replicas: {mode: container}\n",
        "agent.yaml: replicas.mode: 'container' (expected: process or in-process)");
    assertBad(
        MINIMAL + "replicas: {host: ''}\n",
        "agent.yaml: replicas.host: '' (expected: a non-empty string)");
    assertBad(
        MINIMAL + "metrics: {port: 70000}\n",
        "agent.yaml: metrics.port: 70000 (expected: 0..65535)");
    assertBad(
        MINIMAL + "consul: {port: 70000}\n", "agent.yaml: consul.port: 70000 (expected: 1..65535)");
    assertBad(
        MINIMAL + "faults: {enabled: yes please}\n",
        "agent.yaml: faults.enabled: 'yes please' (expected: true or false)");
    assertBad(
        MINIMAL + "faults: {enabled: true}\n",
        "agent.yaml: faults.token-file: null (expected: a token file, as faults.enabled is true)");
    assertBad(
        MINIMAL + "faults: {enabled: true, token-file: empty-token}\n",
        "agent.yaml: faults.token-file: 'empty-token' (expected: a file holding a token)");
    assertBad(
        MINIMAL + "registration: {deregister-critical-after: 30s}\n",
        "agent.yaml: registration.deregister-critical-after: '30s' (expected: >= 1m)");
    assertBad(
        MINIMAL + "restart: {initial-backoff: 1s, max-backoff: 500ms}\n",
        "agent.yaml: restart.max-backoff: 500ms (expected: at least restart.initial-backoff"
            + " (1s))");
    assertBad(
        MINIMAL + "probe: {interval: 1s, jitter: 2s}\n",
        "agent.yaml: probe.jitter: 2s (expected: at most probe.interval (1s))");
    assertBad("models: []\n", "agent.yaml: region: null (expected: a value: the key is required)");
    assertBad(
        "region: eu-west\n", "agent.yaml: models: [] (expected: a list of at least one model)");
    assertBad(
        "region: eu-west\nmodels:\n  - {name: m, type: builtin, path: m.json}\n"
            + "  - {name: m, type: builtin, path: m.json}\n",
        "agent.yaml: models[].name: 'm' (expected: a name no other model has)");
  }

  @Test
  void unknownKeysAreRejectedAtEveryDepth() {
    assertBad(
        MINIMAL + "models2: []\n",
        "agent.yaml: models2: unknown key (expected one of [consul, faults, feature-store, metrics, models,"
            + " probe, region, registration, replicas, restart, tls, tracing])");
    assertBad(
        MINIMAL + "probe: {intervall: 1s}\n",
        "agent.yaml: probe.intervall: unknown key (expected one of [failures-before-critical,"
            + " interval, jitter, successes-before-passing, timeout])");
    assertBad(
        MINIMAL + "replicas: {port: 7000}\n",
        "agent.yaml: replicas.port: unknown key (expected one of [advertise-host, drain-timeout,"
            + " host, limits, mode, reflection, start-timeout])");
    assertBad(
        MINIMAL.replace("name: m,", "name: m, replica: 2,"),
        "agent.yaml: models[0].replica: unknown key");
    assertBad(
        MINIMAL.replace("name: m,", "name: m, warm-up: {calls: 5},"),
        "agent.yaml: models[0].warm-up.calls: unknown key (expected one of [requests])");
  }

  @Test
  void aProbeCycleMustFitInTheTtl() {
    assertBad(
        MINIMAL + "registration: {ttl: 2s}\nprobe: {interval: 1s, jitter: 500ms, timeout: 500ms}\n",
        "agent.yaml: probe.interval: 1s (expected: interval + jitter + timeout (2s) under"
            + " registration.ttl (2s))");
  }

  @Test
  void recordsBuiltInCodeAreCheckedByTheSameSettings() {
    assertThatThrownBy(() -> new ProbeConfig(ms(10), ms(0), ms(500), 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("probe.interval: 10ms (expected: >= 50ms)");
    assertThatThrownBy(() -> new ProbeConfig(ms(100), ms(200), ms(500), 2, 3))
        .hasMessage("probe.jitter: 200ms (expected: at most probe.interval (100ms))");
    assertThatThrownBy(() -> new RestartConfig(ms(200), ms(100), 5, Duration.ofMinutes(1)))
        .hasMessage(
            "restart.max-backoff: 100ms (expected: at least restart.initial-backoff (200ms))");
    ModelConfig model = parse(MINIMAL).models().get(0);
    assertThatThrownBy(
            () ->
                new ModelConfig(
                    model.name(),
                    model.version(),
                    model.type(),
                    model.path(),
                    model.fallback(),
                    model.server(),
                    model.replicas(),
                    model.maxConcurrentCalls(),
                    model.latencyObjective(),
                    MemoryLimit.parse("16m").orElseThrow(),
                    model.warmUpRequests(),
                    model.features(),
                    model.confidence()))
        .hasMessage(
            "models[].memory-limit: 16m (expected: a heap size of 32m or more, such as 512m or 2g)");
  }

  private AgentConfig oip(String model) {
    return parse("region: eu-west\nmodels:\n  - " + model + "\n");
  }

  @Test
  void anOipModelRunsACommandOrAttachesToAnAddress() {
    ModelConfig command =
        oip("{name: m, type: oip, command: [tritonserver, '--grpc-port={port}'], replicas: 2}")
            .models()
            .get(0);
    assertThat(command.type()).isEqualTo(ModelType.OIP);
    assertThat(command.path()).isEmpty();
    assertThat(command.server())
        .contains(new OipServer.Command(List.of("tritonserver", "--grpc-port={port}")));
    assertThat(((OipServer.Command) command.server().orElseThrow()).commandLine("10.0.0.1", 8001))
        .containsExactly("tritonserver", "--grpc-port=8001");

    AgentConfig attached = oip("{name: m, type: oip, address: 'triton.internal:8001'}");
    assertThat(attached.models().get(0).server())
        .contains(new OipServer.Address("triton.internal", 8001));
    ReplicaSpec spec = ReplicaSpec.of(attached, attached.models().get(0), 0);
    assertThat(spec.advertisedAddress()).isEqualTo("triton.internal:0");
    assertThat(oip("{name: m, type: oip, address: '[::1]:9000'}").models().get(0).server())
        .contains(new OipServer.Address("::1", 9000));
  }

  @Test
  void badOipModelsFailNamingTheFileAndKey() {
    assertBad(
        "region: eu-west\nmodels:\n  - {name: m, type: oip}\n",
        "agent.yaml: models[].command: null (expected: with `type: oip`, `command` or `address`)");
    assertBad(
        "region: eu-west\nmodels:\n  - {name: m, type: oip, command: [server]}\n",
        "agent.yaml: models[0].command: [server] (expected: a command line, a list of non-empty"
            + " strings with `{port}` in one)");
    assertBad(
        "region: eu-west\nmodels:\n  - {name: m, type: oip, address: 'host'}\n",
        "agent.yaml: models[0].address: 'host' (expected: host:port)");
    assertBad(
        "region: eu-west\nmodels:\n  - {name: m, type: oip, address: 'h:1', command: ['{port}']}\n",
        "agent.yaml: models[0].address: 'h:1' (expected: no address beside `command`");
    assertBad(
        "region: eu-west\nmodels:\n  - {name: m, type: oip, address: 'h:1', path: m.json}\n",
        "agent.yaml: models[].path: '" + dir.resolve("m.json") + "' (expected: no model file");
    assertBad(
        "region: eu-west\nmodels:\n  - {name: m, type: oip, address: 'h:1', replicas: 2}\n",
        "agent.yaml: models[].replicas: 2 (expected: 1 with `address`");
    assertBad(
        "region: eu-west\nmodels:\n  - {name: m, type: builtin, address: 'h:1'}\n",
        "agent.yaml: models[].type: 'builtin' (expected: oip, as `command` or `address` is set)");
    assertBad(
        "region: eu-west\nmodels:\n  - {name: m, type: onnx}\n",
        "agent.yaml: models[].path: null (expected: a model file with `type: onnx`)");
  }

  @Test
  void aModelTakesFeaturesFromTheRegionsStoreAndAConfidenceRule() throws Exception {
    Files.writeString(dir.resolve("seed.json"), "{}");
    Files.writeString(dir.resolve("redis-password"), "s3cret\n");
    AgentConfig config =
        parse(
            """
            region: eu-west
            feature-store: {primary: '10.0.0.5:6379', replica: '10.0.0.6:6379', lookup-timeout: 20ms,
                            password-file: redis-password}
            models:
              - {name: m, type: builtin, path: m.json, fallback: m.json,
                 confidence: {output: probability, threshold: 0.7},
                 features: {input: features, entity: card_id, values: [
                   {name: amount, default: 2.5, max-age: 5m, hard-limit: 1h}, {name: risk}]}}
            """);

    assertThat(config.featureStore())
        .contains(
            new FeatureStoreConfig(
                "10.0.0.5:6379",
                "10.0.0.6:6379",
                "",
                ms(20),
                100_000,
                dir.resolve("redis-password").toString()));
    assertThat(config.featureStore().orElseThrow().password()).contains("s3cret");
    ModelConfig model = config.models().get(0);
    assertThat(model.confidence()).contains(new ConfidenceRule("probability", 0.7));
    assertThat(model.features())
        .contains(
            new FeatureInputs(
                "features",
                "card_id",
                List.of(
                    new FeatureSpec("amount", 2.5, Duration.ofMinutes(5), Duration.ofHours(1)),
                    new FeatureSpec("risk", 0, Duration.ofHours(1), Duration.ofHours(24)))));
    assertThat(
            parse("region: eu-west\nfeature-store: {embedded: seed.json}\n" + MINIMAL.substring(16))
                .featureStore()
                .orElseThrow()
                .embedded())
        .contains(dir.resolve("seed.json").toString());
  }

  @Test
  void badFeatureConfigFailsNamingTheFileAndKey() {
    String features = "features: {input: f, entity: card_id, values: [{name: a}]}";
    assertBad(
        "region: eu-west\nmodels:\n  - {name: m, type: builtin, path: m.json, " + features + "}\n",
        "agent.yaml: feature-store.primary: null (expected: `feature-store.primary` or"
            + " `.embedded`, as model m has features)");
    assertBad(
        "region: eu-west\nfeature-store: {primary: 'h:1', password-file: empty-token}\n"
            + MINIMAL.substring(16),
        "agent.yaml: feature-store.password-file: 'empty-token' (expected: a file holding a"
            + " password)");
    assertBad(
        "region: eu-west\nfeature-store: {replica: 'h:1'}\n" + MINIMAL.substring(16),
        "agent.yaml: feature-store.primary: null (expected: the primary the replica replicates)");
    assertBad(
        "region: eu-west\nfeature-store: {primary: 'h:1', embedded: m.json}\n"
            + MINIMAL.substring(16),
        "(expected: no embedded store beside a Redis `primary`: one or the other)");
    assertBad(
        "region: eu-west\nfeature-store: {primary: 'h:1'}\nmodels:\n  - {name: m, type: builtin,"
            + " path: m.json, features: {input: f, entity: card_id, values: [{name: a, max-age:"
            + " 2h, hard-limit: 1h}]}}\n",
        "agent.yaml: models[0].features.values[0].hard-limit: '1h' (expected: at least max-age"
            + " (2h))");
    assertBad(
        "region: eu-west\nfeature-store: {primary: 'h:1'}\nmodels:\n  - {name: m, type: builtin,"
            + " path: m.json, features: {input: f, values: [{name: a}]}}\n",
        "agent.yaml: models[0].features.entity: null (expected: the entity, as `input` is set)");
    assertBad(
        "region: eu-west\nmodels:\n  - {name: m, type: builtin, path: m.json, confidence: {output:"
            + " p}}\n",
        "agent.yaml: models[].confidence.output: 'p' (expected: a `fallback` model to hand"
            + " unconfident answers to)");
  }

  @Test
  void theSchemaIsTheAgentsAndDocumentsEveryKey() {
    assertThat(AgentSettings.SCHEMA.role()).isEqualTo("agent");
    List<String> rows = AgentSettings.SCHEMA.referenceRows();
    assertThat(rows)
        .contains(
            "| agent | `probe.jitter` | `probe.interval` / 5 | >= 0ms | up to this much added at"
                + " random to each interval; at most the interval |",
            "| agent | `registration.deregister-critical-after` | `1m` | >= 1m | Consul removes a"
                + " replica critical this long |",
            "| agent | `replicas.mode` | `process` | process or in-process | `process` (child"
                + " JVMs) or `in-process` (tests) |",
            "| agent | `models[].memory-limit` | `512m` | a heap size of 32m or more, such as 512m"
                + " or 2g | `-Xmx` of each replica process; not for `type: oip` |");
    assertThat(rows)
        .allSatisfy(row -> assertThat(row).doesNotEndWith("|  |").startsWith("| agent | `"));
    assertThat(AgentSettings.SCHEMA.settings())
        .extracting(setting -> setting.key())
        .contains(
            "replicas.host", "replicas.advertise-host", "metrics.host", "metrics.advertise-host");
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private void assertBad(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
