package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.features.FeatureInputs;
import dev.meridian.agent.features.FeatureMetrics;
import dev.meridian.agent.features.FeatureSpec;
import dev.meridian.core.metrics.MetricNames;
import dev.meridian.core.metrics.PrometheusTextFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The shipped alert rules ({@code deploy/prometheus/meridian-alerts.yml}) parse, and every metric
 * they read is one the processes export, by the name Prometheus sees. (Checking the expressions
 * themselves needs promtool, which is not packaged here.)
 */
class AlertRulesTest {
  private static final Path RULES =
      Path.of(System.getProperty("basedir", "."), "prometheus", "meridian-alerts.yml");
  private static final Pattern METRIC = Pattern.compile("\\b(features_[a-z_]+)\\b");

  @Test
  void everyRuleReadsAMetricTheReplicasExport() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    new FeatureMetrics(
        registry,
        "fraud-score",
        new FeatureInputs(
            "features",
            "card_id",
            List.of(new FeatureSpec("amount", 0, Duration.ofHours(1), Duration.ofHours(2)))));
    registry
        .counter(
            MetricNames.tagged("features.store.errors", "store", "primary", "model", "fraud-score"))
        .inc();
    Set<String> exported =
        new PrometheusTextFormat(registry)
            .render()
            .lines()
            .filter(line -> !line.startsWith("#"))
            .map(line -> line.split("[{ ]")[0])
            .collect(Collectors.toCollection(TreeSet::new));

    Map<String, Object> file =
        new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(RULES));
    @SuppressWarnings("unchecked") // the rule file's shape: groups of rules, each a map
    List<Map<String, Object>> groups = (List<Map<String, Object>>) file.get("groups");
    Set<String> read = new TreeSet<>();
    for (Map<String, Object> group : groups) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
      for (Map<String, Object> rule : rules) {
        assertThat(rule).containsKeys("alert", "expr", "for", "labels", "annotations");
        Matcher metric = METRIC.matcher((String) rule.get("expr"));
        while (metric.find()) {
          read.add(metric.group(1));
        }
      }
    }

    assertThat(read)
        .containsExactlyInAnyOrder(
            "features_stale_total", "features_values_total", "features_store_errors_total");
    assertThat(exported).containsAll(read);
  }
}
