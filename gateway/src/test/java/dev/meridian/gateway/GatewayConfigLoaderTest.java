package dev.meridian.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.ListenAddress;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigLoaderTest {
  private static GatewayConfig load(String yaml) {
    return GatewayConfigLoader.load(
        ConfigNode.parse(new StringReader(yaml), "gateway.yaml"), Map.of("TOKEN", "s3cret")::get);
  }

  @Test
  void theExampleConfigLoads() {
    GatewayConfig config =
        GatewayConfigLoader.load(
            ConfigNode.load(Path.of("..", "examples", "gateway.yaml")), name -> null);

    assertThat(config.region()).isEqualTo("eu-west");
    assertThat(config.regions()).containsExactly("eu-west", "us-east");
    assertThat(config.model("fraud-score").fallbackModel()).contains("fraud-score-lite");
    assertThat(config.model("fraud-score").defaultOutputs().orElseThrow()).hasSize(1);
    assertThat(config.policies().breakerTrialCalls()).isEqualTo(3);
    assertThat(config.metrics().port()).isEqualTo(9464);
  }

  @Test
  void theListenerLimitsKeepTheirKeysBesideTheNewOnes() {
    GatewayConfig config =
        load(
            "region: a\nlimits: {max-concurrent-calls-per-connection: 5,"
                + " permit-keepalive-time: 1s, max-rst-frames-per-window: 50,"
                + " max-connection-age: 10m}\n");

    assertThat(config.limits().maxConcurrentCallsPerConnection()).isEqualTo(5);
    assertThat(config.limits().permitKeepAliveTime()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.limits().maxRstFramesPerWindow()).isEqualTo(50);
    assertThat(config.limits().maxConnectionAge()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.limits().maxInboundMessageBytes()).isEqualTo(4 * 1024 * 1024);
    assertThatThrownBy(() -> load("region: a\nlimits: {handshake-timeout: 0s}\n"))
        .hasMessageContaining("limits.handshake-timeout: '0s' (expected: >= 1ms)");
  }

  @Test
  void defaultsApplyAndTheTokenComesFromTheEnvironment() {
    GatewayConfig config = load("region: eu-west\nconsul: {token-env: TOKEN}\n");

    assertThat(config.regions()).containsExactly("eu-west");
    assertThat(config.listen().port()).isEqualTo(50051);
    assertThat(config.consul().token()).contains("s3cret");
    assertThat(config.policies().attemptTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.model("anything").fallbackModel()).isEmpty();
    assertThat(config.loadReportInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(load("region: a\nload-report: {interval: 1s}\n").loadReportInterval())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> load("regions: [a]\n"))
        .hasMessage("gateway.yaml: region: null (expected: a value: the key is required)");
    assertThatThrownBy(() -> load("region: a\nlisten: {port: 70000}\n"))
        .hasMessage("gateway.yaml: listen.port: 70000 (expected: 0..65535)");
    assertThatThrownBy(() -> load("region: a\nload-report: {interval: 10ms}\n"))
        .hasMessage("gateway.yaml: load-report.interval: '10ms' (expected: 100ms..5m)");
    assertThatThrownBy(() -> load("region: a\npolicies: {retry: {max-attemps: 2}}\n"))
        .hasMessageContaining("policies.retry.max-attemps: unknown key");
    assertThatThrownBy(() -> load("region: a\npolicies: {breaker: {failure-rate: 0}}\n"))
        .hasMessage("gateway.yaml: policies.breaker.failure-rate: 0 (expected: 1..100)");
    assertThatThrownBy(() -> load("region: a\nregions: [b]\n"))
        .hasMessageContaining("regions: [b] (expected: to include the gateway's region a)");
    assertThatThrownBy(
            () ->
                load(
                    "region: a\nmodels:\n  - name: m\n    default-response:\n"
                        + "      - {name: p, datatype: FP32, shape: [2], values: [0.5]}\n"))
        .hasMessageContaining("models[0].default-response[0].values")
        .hasMessageContaining("needs 2 FP32 values, got 1");
    assertThatThrownBy(
            () -> load("region: a\npolicies: {retry: {backoff-initial: 1s, backoff-max: 10ms}}\n"))
        .hasMessageContaining("policies.retry.backoff-max");
    // Failsafe refuses equal delays at start-up, with a message that names no key.
    assertThatThrownBy(
            () -> load("region: a\npolicies: {retry: {backoff-initial: 1s, backoff-max: 1s}}\n"))
        .hasMessage(
            "gateway.yaml: policies.retry.backoff-max: 1s"
                + " (expected: more than policies.retry.backoff-initial)");
  }

  @Test
  void listenersHaveABindAndAnAdvertisedAddressAndTheOldMetricsKeyStillWorks() {
    GatewayConfig config =
        load(
            "region: a\nlisten: {host: 0.0.0.0, port: 1, advertise-host: gw.example}\n"
                + "metrics: {host: 10.0.0.1, port: 2}\n");
    assertThat(config.listen()).isEqualTo(new ListenAddress("0.0.0.0", 1, "gw.example"));
    assertThat(config.metrics()).isEqualTo(new ListenAddress("10.0.0.1", 2, "10.0.0.1"));

    assertThat(load("region: a\nmetrics-port: 7\n").metrics().port()).isEqualTo(7);
  }
}
