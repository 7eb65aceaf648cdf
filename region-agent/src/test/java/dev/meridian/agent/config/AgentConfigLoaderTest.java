package dev.meridian.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.model.ModelType;
import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigNode;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
  private static final String MINIMAL =
      "region: eu-west\nmodels:\n  - {name: m, type: builtin, path: m.json}\n";

  @TempDir Path dir;

  @BeforeEach
  void writeModelFiles() throws Exception {
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
    assertThat(model.path()).isEqualTo(dir.resolve("models/fraud-score.json"));
    assertThat(model.fallback()).contains(dir.resolve("models/fraud-score-fallback.json"));
    assertThat(model.replicas()).isEqualTo(2);
    assertThat(model.memoryLimit().jvmOption()).isEqualTo("-Xmx512m");
    // The example spells out every default: a minimal file must mean the same.
    AgentConfig minimal = parse(MINIMAL);
    assertThat(minimal.probe()).isEqualTo(config.probe());
    assertThat(minimal.restart()).isEqualTo(config.restart());
    assertThat(minimal.ttl()).isEqualTo(config.ttl());
    assertThat(minimal.deregisterCriticalAfter()).isEqualTo(config.deregisterCriticalAfter());
    assertThat(minimal.drainTimeout()).isEqualTo(config.drainTimeout());
    assertThat(minimal.metricsPort()).isEqualTo(config.metricsPort());
    assertThat(minimal.models().get(0).warmUpRequests()).isEqualTo(model.warmUpRequests());
  }

  @Test
  void defaults() {
    AgentConfig config = parse(MINIMAL);
    assertThat(config.faultsEnabled()).isFalse();
    assertThat(config.mode()).isEqualTo(ReplicaMode.PROCESS);
    assertThat(config.consul().port()).isEqualTo(8500);
    assertThat(config.consul().token()).contains("secret");
    assertThat(config.probe().jitter()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.models().get(0).version()).isEqualTo("1");
    assertThat(config.models().get(0).fallback()).isEmpty();
    assertThat(config.models().get(0).latencyObjective()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.models().get(0).warmUpRequests()).isEqualTo(200);
    assertThat(
            parse(MINIMAL.replace("name: m,", "name: m, warm-up: {requests: 0},"))
                .models()
                .get(0)
                .warmUpRequests())
        .as("0 disables")
        .isZero();
  }

  @Test
  void theTokenComesFromTheNamedEnvironmentVariable() {
    assertThat(parse(MINIMAL + "consul: {token-env: OTHER_TOKEN}\n").consul().token())
        .contains("other");
    assertThat(parse(MINIMAL + "consul: {token-env: UNSET}\n").consul().token()).isEmpty();
  }

  @Test
  void badValuesNameTheirKey() {
    assertBad(
        MINIMAL.replace("name: m,", "name: m, replicas: 0,"),
        "agent.yaml: models[0].replicas: 0 (expected: 1..64)");
    assertBad(
        MINIMAL.replace("builtin", "tensorflow"),
        "models[0].type: 'tensorflow' (expected: builtin or onnx)");
    assertBad(
        MINIMAL.replace("m.json", "missing.json"),
        "models[0].path: 'missing.json' (expected: a readable file");
    assertBad(
        MINIMAL.replace("name: m,", "name: m, memory-limit: 10m,"),
        "models[0].memory-limit: '10m'");
    assertBad(
        MINIMAL.replace("name: m,", "name: m, latency-objective: soon,"),
        "models[0].latency-objective: 'soon'");
    assertBad(
        MINIMAL.replace("name: m,", "name: m, warm-up: {requests: -1},"),
        "models[0].warm-up.requests: -1 (expected: 0..10000)");
    assertBad(
        MINIMAL.replace("name: m,", "name: m, warm-up: {calls: 5},"),
        "models[0].warm-up.calls: unknown key");
    assertBad(
        MINIMAL + "replicas: {mode: container}\n",
        "replicas.mode: 'container' (expected: process or in-process)");
    assertBad(MINIMAL + "consul: {port: 70000}\n", "consul.port: 70000 (expected: 1..65535)");
    assertBad(
        MINIMAL + "faults: {enabled: yes please}\n",
        "faults.enabled: 'yes please' (expected: true or false)");
    assertBad(
        MINIMAL + "registration: {deregister-critical-after: 30s}\n",
        "registration.deregister-critical-after: '30s' (expected: at least 60000ms)");
    assertBad(
        MINIMAL + "restart: {initial-backoff: 1s, max-backoff: 500ms}\n",
        "restart.max-backoff: '500ms' (expected: at least 1000ms)");
    assertBad(
        MINIMAL + "probe: {interval: 1s, jitter: 2s}\n",
        "probe.jitter: '2000ms' (expected: at most probe.interval)");
    assertBad("models: []\n", "region: null (expected: a non-empty string)");
    assertBad("region: eu-west\n", "models: null (expected: a list of at least one model)");
    assertBad(MINIMAL + "models2: []\n", "models2: unknown key");
    assertBad(
        MINIMAL.replace("name: m,", "name: m, replica: 2,"), "models[0].replica: unknown key");
    assertBad(
        "region: eu-west\nmodels:\n  - {name: m, type: builtin, path: m.json}\n"
            + "  - {name: m, type: builtin, path: m.json}\n",
        "models[1].name: 'm' (expected: a name no other model has)");
  }

  @Test
  void aProbeCycleMustFitInTheTtl() {
    assertBad(
        MINIMAL + "registration: {ttl: 2s}\nprobe: {interval: 1s, jitter: 500ms, timeout: 500ms}\n",
        "probe.interval: '1000ms' (expected: interval + jitter + timeout (2000ms) under"
            + " registration.ttl (2000ms))");
  }

  private void assertBad(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
