package dev.meridian.core.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Optional;
import java.util.Properties;

/**
 * The HELP text of every metric family, by the Dropwizard base name it is registered under: each
 * module describes its own metrics in {@value #RESOURCE} ({@code
 * gateway.call.duration.seconds=...}), and this reads every such file on the class path.
 *
 * <p>Immutable and thread-safe once loaded.
 */
final class MetricHelp {
  static final String RESOURCE = "META-INF/meridian/metric-help.properties";

  private final Properties texts;

  private MetricHelp(Properties texts) {
    this.texts = texts;
  }

  /** Reads every {@value #RESOURCE} that {@code loader} can see. */
  static MetricHelp load(ClassLoader loader) {
    Properties texts = new Properties();
    try {
      for (URL file : Collections.list(loader.getResources(RESOURCE))) {
        try (InputStream in = file.openStream()) {
          texts.load(in);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
    return new MetricHelp(texts);
  }

  /** The description of the family registered as {@code base}, if a module gave one. */
  Optional<String> of(String base) {
    return Optional.ofNullable(texts.getProperty(base));
  }
}
