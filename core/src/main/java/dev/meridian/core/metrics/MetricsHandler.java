package dev.meridian.core.metrics;

import com.sun.net.httpserver.HttpExchange;
import dev.meridian.core.server.GetHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Answers {@code GET /metrics} with the {@link Exposition}, in the format the Accept header asks
 * for.
 *
 * <p>Thread-safe: it holds only the thread-safe exposition.
 */
final class MetricsHandler extends GetHandler {
  static final String PATH = "/metrics";

  private final Exposition exposition;

  MetricsHandler(Exposition exposition) {
    super(PATH);
    this.exposition = exposition;
  }

  @Override
  protected Reply reply(HttpExchange exchange) throws IOException {
    ExpositionFormatWriter writer =
        Exposition.writer(exchange.getRequestHeaders().getFirst("Accept"));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    exposition.write(body, writer);
    return new Reply(200, writer.getContentType(), body.toByteArray());
  }
}
