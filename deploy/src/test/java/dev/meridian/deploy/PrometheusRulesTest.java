package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Meridian's Prometheus rules as Prometheus reads them: {@code promtool check rules} on the file
 * and {@code promtool test rules} on its unit tests (synthetic series, expected alerts).
 */
class PrometheusRulesTest {
  private static final Path DIRECTORY = Path.of(System.getProperty("basedir", "."), "prometheus");

  @Test
  void theRulesAreValid() throws Exception {
    Promtool.Result result =
        Promtool.run("", "check", "rules", DIRECTORY.resolve("meridian-rules.yml").toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void theRulesPassTheirUnitTests() throws Exception {
    Promtool.Result result =
        Promtool.run("", "test", "rules", DIRECTORY.resolve("meridian-rules.test.yml").toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }
}
