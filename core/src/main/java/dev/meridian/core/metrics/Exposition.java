package dev.meridian.core.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Everything a scrape of a Meridian process returns: its registry's metrics ({@link
 * RegistryCollector}), the JVM's and the process's (the Prometheus client's {@code jvm_} and {@code
 * process_} families) and {@code meridian_build_info}; written as OpenMetrics to a scraper that
 * asks for it, else in the text format 0.0.4, by the Prometheus client's writers.
 *
 * <p>Thread-safe.
 */
final class Exposition {
  private static final ExpositionFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();
  private static final ExpositionFormatWriter TEXT = PrometheusTextFormatWriter.create();
  private static final String BUILD = "build.properties";

  private final PrometheusRegistry registry = new PrometheusRegistry();

  Exposition(MetricRegistry metrics) {
    registry.register(new RegistryCollector(metrics, MetricHelp.load(loader())));
    String version = version();
    registry.register(
        () ->
            InfoSnapshot.builder()
                .name(RegistryCollector.PREFIX + "build")
                .help("The Meridian build this process runs")
                .dataPoint(
                    InfoDataPointSnapshot.builder().labels(Labels.of("version", version)).build())
                .build());
    JvmMetrics.builder().register(registry);
  }

  /** The writer for a scrape whose Accept header is {@code accept}, null if it sent none. */
  static ExpositionFormatWriter writer(String accept) {
    return accept != null && OPEN_METRICS.accepts(accept) ? OPEN_METRICS : TEXT;
  }

  /** Writes every metric to {@code out} with {@code writer}. */
  void write(OutputStream out, ExpositionFormatWriter writer) throws IOException {
    writer.write(out, registry.scrape());
  }

  private static ClassLoader loader() {
    return Exposition.class.getClassLoader();
  }

  /** The project version the build wrote into {@value #BUILD}. */
  private static String version() {
    Properties build = new Properties();
    try (InputStream in = Exposition.class.getResourceAsStream(BUILD)) {
      if (in == null) {
        throw new IllegalStateException(BUILD + " is missing beside " + Exposition.class);
      }
      build.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + BUILD, e);
    }
    return build.getProperty("version");
  }
}
