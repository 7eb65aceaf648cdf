package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every Meridian metric the Prometheus rules and the Grafana dashboard read is one a module
 * exports: a family described in some module's {@code META-INF/meridian/metric-help.properties},
 * under the name the exposition gives it ({@code meridian_} and the base, with {@code _total}, or a
 * histogram's {@code _bucket}, {@code _count} and {@code _sum}). A renamed metric fails here
 * instead of leaving an alert that can never fire.
 */
class MetricReferencesTest {
  private static final Path BASE = Path.of(System.getProperty("basedir", "."));
  private static final Pattern METRIC = Pattern.compile("\\bmeridian_[a-z_]+\\b");
  private static final List<String> SUFFIXES = List.of("", "_total", "_bucket", "_count", "_sum");

  @Test
  void theRulesReadOnlyExportedMetrics() throws IOException {
    Set<String> read = metricsIn(BASE.resolve("prometheus/meridian-rules.yml"));

    assertThat(read).contains("meridian_gateway_call_duration_seconds_count");
    assertThat(exported()).containsAll(read);
  }

  @Test
  void theDashboardReadsOnlyExportedMetrics() throws IOException {
    Set<String> read = metricsIn(BASE.resolve("grafana/meridian-dashboard.json"));

    assertThat(read).contains("meridian_gateway_breaker_state");
    assertThat(exported()).containsAll(read);
  }

  private static Set<String> metricsIn(Path file) throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher metric = METRIC.matcher(Files.readString(file));
    while (metric.find()) {
      names.add(metric.group());
    }
    // The exposition's own family, beside the modules' ones.
    names.remove("meridian_build_info");
    return names;
  }

  /** Every name a described family is exported under. */
  private static Set<String> exported() throws IOException {
    Properties described = new Properties();
    for (URL file :
        Collections.list(
            MetricReferencesTest.class
                .getClassLoader()
                .getResources("META-INF/meridian/metric-help.properties"))) {
      try (InputStream in = file.openStream()) {
        described.load(in);
      }
    }
    return described.stringPropertyNames().stream()
        .map(base -> "meridian_" + base.replaceAll("[^a-zA-Z0-9_]", "_"))
        .flatMap(family -> SUFFIXES.stream().map(suffix -> family + suffix))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
