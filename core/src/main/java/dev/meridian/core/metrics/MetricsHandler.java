package dev.meridian.core.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers {@code GET /metrics} with the {@link Exposition}, in the format the Accept header asks
 * for, 404 for any other path and 405 for any other method on it.
 *
 * <p>Thread-safe: it holds only the thread-safe exposition.
 */
final class MetricsHandler implements HttpHandler {
  static final String PATH = "/metrics";

  private static final Logger logger = Logger.getLogger(MetricsHandler.class.getName());
  private static final String ERROR_CONTENT_TYPE = "text/plain; charset=utf-8";

  private final Exposition exposition;

  MetricsHandler(Exposition exposition) {
    this.exposition = exposition;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      // The server's contexts match by prefix, so /metrics/x would reach here too.
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        respond(exchange, 404, ERROR_CONTENT_TYPE, "Not found: metrics are at " + PATH + "\n");
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        respond(exchange, 405, ERROR_CONTENT_TYPE, "Method not allowed: use GET\n");
        return;
      }
      ExpositionFormatWriter writer =
          Exposition.writer(exchange.getRequestHeaders().getFirst("Accept"));
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      try {
        exposition.write(body, writer);
      } catch (IOException | RuntimeException e) {
        logger.log(Level.WARNING, "Rendering metrics failed", e);
        respond(exchange, 500, ERROR_CONTENT_TYPE, "Rendering metrics failed\n");
        return;
      }
      respond(exchange, 200, writer.getContentType(), body.toByteArray());
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    respond(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
