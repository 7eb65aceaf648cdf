package dev.meridian.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {
  private static ConfigNode yaml(String text) {
    return ConfigNode.parse(new StringReader(text), "agent.yaml");
  }

  @Test
  void readsTypedValuesWithDefaults() {
    ConfigNode root =
        yaml(
            "region: eu-west\nconsul:\n  port: 8500\n  wait: 30s\nreplicas:\n"
                + "  - model: a\n    count: 2\n  - model: b\nsample: 0.25\nenabled: true\n"
                + "tags: [x, y]\n");

    assertThat(root.string("region")).isEqualTo("eu-west");
    assertThat(root.child("consul").keys()).containsExactly("port", "wait");
    assertThat(root.children("replicas")).hasSize(2);
    assertThat(root.children("replicas").get(1).keyPath("count")).isEqualTo("replicas[1].count");
    assertThat(root.strings("tags")).containsExactly("x", "y");
    assertThat(root.child("missing").keys()).isEmpty();
  }

  @Test
  void errorsNameTheFileAndTheFullKey() {
    ConfigNode root = yaml("consul:\n  port: abc\nreplicas:\n  - count: 0\nwait: soon\n");

    assertThatThrownBy(() -> Setting.integer("consul.port", 1, 65535).read(root.child("consul")))
        .hasMessage("agent.yaml: consul.port: 'abc' (expected: an integer)");
    assertThatThrownBy(
            () -> Setting.integer("replicas[].count", 1, 10).read(root.children("replicas").get(0)))
        .hasMessage("agent.yaml: replicas[0].count: 0 (expected: 1..10)");
    assertThatThrownBy(() -> Setting.duration("wait", Duration.ZERO).read(root))
        .hasMessageContaining("wait: 'soon' (expected: a duration");
    assertThatThrownBy(() -> root.string("region"))
        .hasMessage("agent.yaml: region: null (expected: a non-empty string)");
    assertThatThrownBy(() -> root.child("consul").allowOnly("host"))
        .hasMessage("agent.yaml: consul.port: unknown key (expected one of [host])");
  }

  @Test
  void malformedYamlIsReportedWithTheSource() {
    assertThatThrownBy(() -> yaml("a: [1, 2")).hasMessageStartingWith("agent.yaml: not valid YAML");
    assertThatThrownBy(() -> yaml("- 1\n- 2\n")).hasMessageContaining("expected a mapping");
    assertThat(yaml("").keys()).isEmpty();
  }
}
