package dev.meridian.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricNamesTest {

  @Test
  void taggedSortsLabelsByName() {
    assertThat(MetricNames.tagged("gateway.calls", "region", "eu-west", "model", "fraud-score"))
        .isEqualTo("gateway.calls{model=fraud-score,region=eu-west}");
  }

  @Test
  void taggedWithoutLabelsIsTheBase() {
    assertThat(MetricNames.tagged("gateway.calls")).isEqualTo("gateway.calls");
  }

  @Test
  void taggedEscapesBackslashAndCommaAndParsesBack() {
    String value = "a,b\\c=}d\"e";
    String name = MetricNames.tagged("m", "k", value, "j", "");

    assertThat(name).isEqualTo("m{j=,k=a\\,b\\\\c=}d\"e}");
    assertThat(MetricNames.parse(name))
        .isEqualTo(new MetricNames.Tagged("m", new TreeMap<>(Map.of("j", "", "k", value))));
  }

  @Test
  void taggedRejectsMalformedArguments() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MetricNames.tagged("m", "region"))
        .withMessage("labels: 1 strings (expected: name, value pairs)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MetricNames.tagged("m", "a", "1", "a", "2"))
        .withMessage("label name: \"a\" (expected: no repeats)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MetricNames.tagged("m{x=1}", "a", "1"))
        .withMessage("base: \"m{x=1}\" (expected: not empty and without '{')");
    assertThatIllegalArgumentException().isThrownBy(() -> MetricNames.tagged(""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1x", "a-b", "", "__name", "quantile"})
  void taggedRejectsBadOrReservedLabelNames(String label) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MetricNames.tagged("m", label, "v"))
        .withMessageStartingWith("label name: \"" + label + "\" (expected: [a-zA-Z_]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a{b}", "a{b=1,}", "a{1b=2}", "{a=1}", "a{b=1\\}", "a{b=1,b=2}", "a{b=1"})
  void parseTreatsMalformedNamesAsPlain(String name) {
    assertThat(MetricNames.parse(name)).isEqualTo(new MetricNames.Tagged(name, new TreeMap<>()));
  }

  @Test
  void sanitizeKeepsOnlyPrometheusNameCharacters() {
    assertThat(MetricNames.sanitize("gateway.calls")).isEqualTo("gateway_calls");
    assertThat(MetricNames.sanitize("cache.hit-ratio:eu/west é"))
        .isEqualTo("cache_hit_ratio_eu_west__");
    assertThat(MetricNames.sanitize("5xx.errors")).isEqualTo("_5xx_errors");
    assertThat(MetricNames.sanitize("")).isEqualTo("_");
  }
}
