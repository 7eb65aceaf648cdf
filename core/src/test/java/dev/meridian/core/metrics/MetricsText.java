package dev.meridian.core.metrics;

import com.codahale.metrics.MetricRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A registry as a scrape would read it, in the text format 0.0.4: for tests of any module. */
public final class MetricsText {
  private MetricsText() {}

  /** Every metric of {@code registry}, with the JVM's and the build's, as exposition text. */
  public static String of(MetricRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new Exposition(registry).write(out, Exposition.writer(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
