package dev.meridian.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigNode;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TracingSettingsTest {
  private static Optional<TracingConfig> read(Map<String, ?> tracing) {
    return TracingSettings.read(
        ConfigNode.of("gateway.yaml", Map.of("tracing", tracing)).child("tracing"));
  }

  @Test
  void absentIsOff() {
    assertThat(TracingSettings.read(ConfigNode.of("gateway.yaml", Map.of()).child("tracing")))
        .isEmpty();
  }

  @Test
  void anEndpointTurnsItOnAtTheDefaultRatio() {
    assertThat(read(Map.of("otlp-endpoint", "http://collector.internal:4318/v1/traces")))
        .contains(new TracingConfig(URI.create("http://collector.internal:4318/v1/traces"), 1));
    assertThat(read(Map.of("otlp-endpoint", "https://c:4318/v1/traces", "sample-ratio", 0.25)))
        .map(TracingConfig::sampleRatio)
        .contains(0.25);
  }

  @Test
  void aMalformedValueIsNamedWithItsFileAndKey() {
    for (Map<String, ?> bad :
        java.util.List.<Map<String, ?>>of(
            Map.of("otlp-endpoint", "collector:4318"),
            Map.of("otlp-endpoint", "ftp://collector/v1/traces"),
            Map.of("otlp-endpoint", "http://"),
            Map.of("otlp-endpoint", "http://c:4318", "sample-ratio", 2))) {
      ConfigException error = catchThrowableOfType(ConfigException.class, () -> read(bad));
      assertThat(error).as(bad.toString()).isNotNull();
      assertThat(error.getMessage()).contains("gateway.yaml").contains("tracing.");
    }
  }
}
