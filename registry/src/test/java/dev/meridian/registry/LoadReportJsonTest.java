package dev.meridian.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Load reports to JSON and back, and what is not one. */
class LoadReportJsonTest {
  private static final Instant AT = Instant.parse("2026-12-01T18:00:05Z");

  @Test
  void aReportSurvivesTheRoundTrip() {
    LoadReport report =
        new LoadReport(
            "eu-west-gw",
            AT,
            Duration.ofSeconds(5),
            Map.of(
                "fraud-score",
                Map.of(
                    "eu-west", new LoadReport.RegionLoad(98.5, 1.25),
                    "us-east", new LoadReport.RegionLoad(0, 0))),
            Map.of("fraud-score", Map.of("eu-west", "CLOSED", "us-east", "OPEN")));

    assertThat(LoadReportJson.decode(LoadReportJson.encode(report))).isEqualTo(report);
    assertThat(report.callsPerSecond()).isEqualTo(98.5);
  }

  @Test
  void aReportWithoutBreakersNamesNone() {
    assertThat(
            LoadReportJson.decode(
                    "{\"gateway\":\"g\",\"at\":\"2026-12-01T18:00:05Z\",\"intervalMillis\":5000,"
                        + "\"models\":{}}")
                .breakers())
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{not json",
        "{\"at\":\"2026-12-01T18:00:05Z\",\"intervalMillis\":5000,\"models\":{}}",
        "{\"gateway\":\"g\",\"at\":\"yesterday\",\"intervalMillis\":5000,\"models\":{}}",
        "{\"gateway\":\"g\",\"at\":\"2026-12-01T18:00:05Z\",\"intervalMillis\":0,\"models\":{}}",
        "{\"gateway\":\"g\",\"at\":\"2026-12-01T18:00:05Z\",\"intervalMillis\":5000,"
            + "\"models\":{\"m\":{\"r\":{\"callsPerSecond\":-1,\"inFlight\":0}}}}",
        "{\"gateway\":\"g\",\"at\":\"2026-12-01T18:00:05Z\",\"intervalMillis\":5000,"
            + "\"models\":{\"m\":{\"r\":{\"callsPerSecond\":1}}}}",
        "{\"gateway\":\"g\",\"at\":\"2026-12-01T18:00:05Z\",\"intervalMillis\":5000,"
            + "\"models\":{\"m\":[1]}}",
        "{\"gateway\":\"g\",\"at\":\"2026-12-01T18:00:05Z\",\"intervalMillis\":5000,"
            + "\"models\":{},\"breakers\":{\"m\":[\"OPEN\"]}}"
      })
  void aMalformedReportIsAnIllegalArgument(String text) {
    assertThatThrownBy(() -> LoadReportJson.decode(text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReportIsStaleAfterThreeIntervals() {
    LoadReport report = new LoadReport("g", AT, Duration.ofSeconds(5), Map.of());

    assertThat(report.staleAt(AT.plusSeconds(15))).isFalse();
    assertThat(report.staleAt(AT.plusSeconds(16))).isTrue();
  }
}
