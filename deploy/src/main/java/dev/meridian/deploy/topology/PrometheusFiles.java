package dev.meridian.deploy.topology;

import dev.meridian.controller.consul.ScrapeTargetsHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Writes a Prometheus configuration for a topology into its {@code prometheus/} directory: HTTP
 * service discovery from every failover controller ({@link ScrapeTargetsHandler}), which lists from
 * Consul every gateway, controller, agent and replica process of every region, each labelled {@code
 * job="meridian-<role>"} and {@code region}. Meridian's rules ({@value #RULES}) are copied beside
 * it and loaded. Run {@code prometheus --config.file <dir>/prometheus.yml} against it.
 *
 * <p>HTTP discovery rather than Prometheus' own Consul discovery: it works with every Prometheus
 * build (Debian's is built without Consul discovery) and needs no Consul credentials.
 */
public final class PrometheusFiles {
  /** The rules file, in the jar (from {@code deploy/prometheus/}) and beside the configuration. */
  public static final String RULES = "meridian-rules.yml";

  private final TopologyPlan plan;

  /** The files of {@code plan}'s topology. */
  public PrometheusFiles(TopologyPlan plan) {
    this.plan = plan;
  }

  /** The directory the files are written to. */
  public Path directory() {
    return plan.directory().resolve("prometheus");
  }

  /** The configuration file. */
  public Path config() {
    return directory().resolve("prometheus.yml");
  }

  /** The rules file beside it. */
  public Path rules() {
    return directory().resolve(RULES);
  }

  /** Writes the configuration, scraping every {@code scrapeSeconds}, and the rules. */
  void write(int scrapeSeconds) throws IOException {
    Files.createDirectories(directory());
    try (InputStream rules = PrometheusFiles.class.getResourceAsStream("/prometheus/" + RULES)) {
      if (rules == null) {
        throw new IOException("/prometheus/" + RULES + " is missing from the class path");
      }
      Files.copy(rules, rules(), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(config(), yaml(scrapeSeconds), StandardCharsets.UTF_8);
  }

  private String yaml(int scrapeSeconds) {
    String discoveries =
        IntStream.range(0, plan.controllers())
            .mapToObj(
                controller ->
                    """
                          - url: 'http://%s:%d%s'
                            refresh_interval: 5s
                    """
                        .formatted(
                            plan.controlHost(),
                            plan.controllerMetricsPort(controller),
                            ScrapeTargetsHandler.PATH))
            .collect(Collectors.joining());
    return """
        # Written by the meridian topology: Prometheus for this topology's processes, which every
        # failover controller lists from Consul. Run: prometheus --config.file %1$s
        global:
          scrape_interval: %2$ds
          evaluation_interval: %2$ds
        rule_files: ['%3$s']
        scrape_configs:
          - job_name: meridian
            http_sd_configs:
        %4$s"""
        .formatted(config().toAbsolutePath(), scrapeSeconds, rules().toAbsolutePath(), discoveries);
  }
}
