package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevConsulConfigTest {

  @Test
  void defaultsLookLikeConsulDev() {
    DevConsulConfig config = DevConsulConfig.builder().build();

    assertThat(config.datacenters()).containsExactly("dc1");
    assertThat(config.basePort()).isEqualTo(8500);
    assertThat(config.aclToken()).isEmpty();
    assertThat(config.snapshotFile()).isEmpty();
  }

  @Test
  void invalidValuesNameTheirKey() {
    assertThatThrownBy(() -> DevConsulConfig.builder().datacenters(List.of()).build())
        .hasMessage("datacenters: [] (expected: at least one)");
    assertThatThrownBy(() -> DevConsulConfig.builder().datacenters("dc1", "dc1").build())
        .hasMessage("datacenters: [dc1, dc1] (expected: distinct names)");
    assertThatThrownBy(() -> DevConsulConfig.builder().datacenters("d c").build())
        .hasMessageStartingWith("datacenters: [d c] (expected: ");
    assertThatThrownBy(() -> DevConsulConfig.builder().basePort(70000).build())
        .hasMessage("basePort: 70000 (expected: 0..65535)");
    assertThatThrownBy(() -> DevConsulConfig.builder().aclToken(" ").build())
        .hasMessageStartingWith("aclToken: ");
    assertThatThrownBy(() -> DevConsulConfig.builder().timerInterval(Duration.ZERO).build())
        .hasMessage("timerInterval: PT0S (expected: > 0)");
  }

  @Test
  void datacentersGetConsecutivePortsFromTheBase() {
    try (DevConsul consul =
        new DevConsul(DevConsulConfig.builder().datacenters("a", "b").basePort(0).build())
            .start()) {
      assertThat(consul.port("a")).isPositive();
      assertThat(consul.port("b")).isPositive().isNotEqualTo(consul.port("a"));
      assertThat(consul.uri()).isEqualTo(consul.uri("a"));
    }
  }
}
