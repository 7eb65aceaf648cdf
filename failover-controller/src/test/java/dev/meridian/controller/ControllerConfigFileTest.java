package dev.meridian.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigNode;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerConfigFileTest {
  private static final Map<String, String> ENV =
      Map.of("MERIDIAN_ADMIN_TOKEN", "t0ken", "MERIDIAN_CONSUL_TOKEN", "c0nsul");

  @TempDir Path directory;

  private static ControllerConfig parse(String yaml) {
    return ControllerConfigFile.parse(
        ConfigNode.parse(new StringReader(yaml), "controller.yaml"), "controller.yaml", ENV);
  }

  private static final String MINIMAL =
      "id: ctl-1\nregions: [eu-west, us-east]\nauth: {token-env: MERIDIAN_ADMIN_TOKEN}\n"
          + "consul: {token-env: MERIDIAN_CONSUL_TOKEN}\n"
          + "audit-log: /tmp/audit.jsonl\n";

  @Test
  void minimalFileTakesTheDefaults() {
    ControllerConfig config = parse(MINIMAL);

    assertThat(config.id()).isEqualTo("ctl-1");
    assertThat(config.regions()).containsExactly("eu-west", "us-east");
    assertThat(config.controlDatacenter()).isEqualTo("eu-west");
    assertThat(config.adminPort()).isEqualTo(7400);
    assertThat(config.advertiseHost()).isEqualTo("127.0.0.1");
    assertThat(config.adminToken()).isEqualTo("t0ken");
    assertThat(config.consul().token()).contains("c0nsul");
    assertThat(config.sessionTtl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.routing().drainSteps()).isEqualTo(4);
    assertThat(config.toString()).doesNotContain("t0ken").doesNotContain("c0nsul");
  }

  @Test
  void everyKeyIsRead() throws Exception {
    Path token = Files.writeString(directory.resolve("token"), "from-file\n");
    ControllerConfig config =
        parse(
            "id: ctl-2\nregions: [a, b]\ncontrol-datacenter: b\n"
                + "admin: {host: 0.0.0.0, port: 7500, advertise-host: ctl-2.internal}\n"
                + "metrics: {host: 0.0.0.0, port: 9500}\n"
                + "consul: {host: consul.local, port: 8501, max-wait: 30s}\n"
                + "leader: {session-ttl: 20s, lock-delay: 5s, retry-interval: 500ms}\n"
                + "routing: {evaluation-interval: 2s, degraded-below: 0.5, recovery-hold: 1m,"
                + " recovery-ramp: 2m, recovery-steps: 5, drain-ramp: 5m, drain-steps: 10}\n"
                + "auth: {token-file: "
                + token
                + "}\naudit-log: /var/log/a.jsonl\n");

    assertThat(config.controlDatacenter()).isEqualTo("b");
    assertThat(config.adminHost()).isEqualTo("0.0.0.0");
    assertThat(config.advertiseHost()).isEqualTo("ctl-2.internal");
    assertThat(config.metricsPort()).isEqualTo(9500);
    assertThat(config.consul().host()).isEqualTo("consul.local");
    assertThat(config.lockDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.leaderRetryInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.evaluationInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.routing().degradedBelow()).isEqualTo(0.5);
    assertThat(config.routing().recoveryHold()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.routing().recoverySteps()).isEqualTo(5);
    assertThat(config.routing().drainRamp()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.adminToken()).isEqualTo("from-file");
    assertThat(config.auditLog()).isEqualTo(Path.of("/var/log/a.jsonl"));
  }

  @Test
  void errorsNameTheFileAndTheKey() {
    assertThatThrownBy(() -> parse(MINIMAL + "leader: {lock-delay: 2m}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("controller.yaml: leader.lock-delay: PT2M (expected: 0s..60s)");
    assertThatThrownBy(() -> parse(MINIMAL + "routing: {drain-steps: 0}\n"))
        .hasMessage("controller.yaml: routing.drain-steps: 0 (expected: 1..100)");
    assertThatThrownBy(() -> parse(MINIMAL + "control-datacenter: mars\n"))
        .hasMessage(
            "controller.yaml: control-datacenter: 'mars' (expected: one of [eu-west, us-east])");
    assertThatThrownBy(() -> parse(MINIMAL + "routing: {drain-stepz: 1}\n"))
        .hasMessageContaining("routing.drain-stepz: unknown key");
    assertThatThrownBy(() -> parse(MINIMAL.replace("MERIDIAN_ADMIN_TOKEN", "UNSET")))
        .hasMessageContaining("auth.token-env: 'UNSET' (expected: the name of a set");
    assertThatThrownBy(() -> parse(MINIMAL.replace("id: ctl-1\n", "")))
        .hasMessage("controller.yaml: id: null (expected: a non-empty string)");
    assertThatThrownBy(() -> parse(MINIMAL.replace("[eu-west, us-east]", "[a, a]")))
        .hasMessage("controller.yaml: regions: [a, a] (expected: no repeats)");
    assertThatThrownBy(() -> parse(MINIMAL + "leader: {session-ttl: 5s}\n"))
        .hasMessage("controller.yaml: leader.session-ttl: PT5S (expected: 10s..24h)");
  }

  @Test
  void builderRejectsAMissingTokenAndAuditLog() {
    ControllerConfig.Builder builder = ControllerConfig.builder().id("x").regions(List.of("a"));
    assertThatThrownBy(builder::build)
        .hasMessage("auth: no token (expected: a token from token-file or token-env)");
    assertThatThrownBy(() -> builder.adminToken("t").build())
        .hasMessage("audit-log: null (expected: a file path)");
  }
}
