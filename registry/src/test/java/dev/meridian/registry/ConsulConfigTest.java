package dev.meridian.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsulConfigTest {
  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> ConsulConfig.builder().port(0).build())
        .hasMessage("consul.port: 0 (expected: 1..65535)");
    assertThatThrownBy(() -> ConsulConfig.builder().maxWait(Duration.ofMinutes(10)).build())
        .hasMessage("consul.max-wait: 10m (expected: 1s..5m)");
    assertThatThrownBy(() -> ConsulConfig.builder().host(" ").build())
        .hasMessageStartingWith("consul.host:");
  }

  @Test
  void readTimeoutCoversTheWaitAndConsulsJitter() {
    ConsulConfig config = ConsulConfig.builder().maxWait(Duration.ofMinutes(5)).build();
    assertThat(config.readTimeout())
        .isGreaterThan(Duration.ofMinutes(5).plus(Duration.ofMinutes(5).dividedBy(16)))
        .isLessThan(Duration.ofMinutes(10));
  }

  @Test
  void tokenNeverAppearsInToString() {
    ConsulConfig config = ConsulConfig.builder().token("s3cret").build();
    assertThat(config.toString()).doesNotContain("s3cret").contains("<redacted>");
    assertThat(ConsulConfig.builder().token("  ").build().token()).isEmpty();
  }

  @Test
  void namesThatWouldNeedUrlEncodingAreRefused() {
    assertThat(ConsulNames.key("meridian/routing/fraud-score")).isNotNull();
    assertThatThrownBy(() -> ConsulNames.key("meridian/../x"))
        .hasMessageContaining("'meridian/../x'");
    assertThatThrownBy(() -> ConsulNames.key("a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConsulNames.key("a?token=x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConsulNames.name("tag", "x&y")).hasMessageStartingWith("tag: 'x&y'");
  }
}
