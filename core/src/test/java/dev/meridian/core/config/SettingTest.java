package dev.meridian.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingTest {
  private static final Setting<Integer> ATTEMPTS =
      Setting.integer("retry.max-attempts", 1, 10).withDefault(3).means("attempts per call");
  private static final Setting<Duration> WAIT =
      Setting.duration("retry.wait", Duration.ofMillis(1)).withDefault(Duration.ofMillis(250));
  private static final Setting<String> REGION = Setting.text("region").required().means("region");
  private static final Setting<Integer> REPLICAS =
      Setting.integer("models[].replicas", 1, 8).withDefault(1);
  private static final ConfigSchema SCHEMA =
      new ConfigSchema("gateway", List.of(REGION, ATTEMPTS, WAIT, REPLICAS));

  private static ConfigNode yaml(String text) {
    return ConfigNode.parse(new StringReader(text), "gateway.yaml");
  }

  @Test
  void readsValuesAndDefaults() {
    ConfigNode root = yaml("region: eu\nretry: {max-attempts: 5}\n");

    assertThat(ATTEMPTS.read(root.child("retry"))).isEqualTo(5);
    assertThat(WAIT.read(root.child("retry"))).isEqualTo(Duration.ofMillis(250));
    assertThat(REGION.read(root)).isEqualTo("eu");
  }

  @Test
  void badValuesNameTheFileTheKeyAndWhatIsAccepted() {
    ConfigNode root = yaml("retry: {max-attempts: 11, wait: soon}\nmodels: [{replicas: 0}]\n");

    assertThatThrownBy(() -> ATTEMPTS.read(root.child("retry")))
        .hasMessage("gateway.yaml: retry.max-attempts: 11 (expected: 1..10)");
    assertThatThrownBy(() -> WAIT.read(root.child("retry")))
        .hasMessage(
            "gateway.yaml: retry.wait: 'soon' (expected: a duration such as 250ms, 10s or 5m)");
    assertThatThrownBy(() -> REPLICAS.read(root.children("models").get(0)))
        .hasMessage("gateway.yaml: models[0].replicas: 0 (expected: 1..8)");
    assertThatThrownBy(() -> REGION.read(root))
        .hasMessage("gateway.yaml: region: null (expected: a value: the key is required)");
  }

  @Test
  void valuesBuiltInCodeAreCheckedByTheSameRule() {
    assertThat(ATTEMPTS.check(10)).isEqualTo(10);
    assertThatThrownBy(() -> ATTEMPTS.check(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retry.max-attempts: 0 (expected: 1..10)");
  }

  @Test
  void unknownKeysAreRejectedAtAnyDepthWithTheKeysAllowedThere() {
    SCHEMA.checkKnownKeys(yaml("region: eu\nretry: {wait: 1s}\nmodels: [{replicas: 2}]\n"));

    assertThatThrownBy(() -> SCHEMA.checkKnownKeys(yaml("retry: {max-atempts: 2}\n")))
        .hasMessage(
            "gateway.yaml: retry.max-atempts: unknown key (expected one of [max-attempts, wait])");
    assertThatThrownBy(() -> SCHEMA.checkKnownKeys(yaml("models: [{replica: 2}]\n")))
        .hasMessage("gateway.yaml: models[0].replica: unknown key (expected one of [replicas])");
    assertThatThrownBy(() -> SCHEMA.checkKnownKeys(yaml("regoin: eu\n")))
        .hasMessage("gateway.yaml: regoin: unknown key (expected one of [models, region, retry])");
  }

  @Test
  void crossKeyRulesAreReportedWithTheFileName() {
    ConfigNode root = yaml("retry: {max-attempts: 2}\n");

    assertThatThrownBy(
            () ->
                ConfigFile.read(
                    root,
                    SCHEMA,
                    node -> {
                      throw ATTEMPTS.invalid(2, ">= 3");
                    }))
        .isInstanceOf(ConfigException.class)
        .hasMessage("gateway.yaml: retry.max-attempts: 2 (expected: >= 3)");
  }

  @Test
  void referenceRowsComeFromTheSettings() {
    assertThat(SCHEMA.referenceRows())
        .containsExactly(
            "| gateway | `region` | required | a non-empty string | region |",
            "| gateway | `retry.max-attempts` | `3` | 1..10 | attempts per call |",
            "| gateway | `retry.wait` | `250ms` | >= 1ms |  |",
            "| gateway | `models[].replicas` | `1` | 1..8 |  |");
  }

  @Test
  void listenersAdvertiseTheirBoundHostUnlessToldOtherwise() {
    ListenerSettings admin = ListenerSettings.of("admin", 7400, "the admin RPC");
    ConfigNode root =
        yaml("admin: {host: 10.0.0.5}\nother: {host: 0.0.0.0, advertise-host: a.b}\n");

    assertThat(admin.read(root.child("admin")))
        .isEqualTo(new ListenAddress("10.0.0.5", 7400, "10.0.0.5"));
    assertThat(admin.read(root.child("other")).advertiseHost()).isEqualTo("a.b");
    assertThat(admin.read(root.child("none")))
        .isEqualTo(new ListenAddress(ListenAddress.DEFAULT_HOST, 7400, ListenAddress.DEFAULT_HOST));
    assertThat(new ListenAddress("::", 0, "fe80::1").advertised(81)).isEqualTo("[fe80::1]:81");
  }
}
