package dev.meridian.core.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers {@code GET /metrics} with the exposition text, 404 for any other path and 405 for any
 * other method on it.
 *
 * <p>Thread-safe: it holds only the thread-safe format.
 */
final class MetricsHandler implements HttpHandler {
  static final String PATH = "/metrics";

  private static final Logger logger = Logger.getLogger(MetricsHandler.class.getName());
  private static final String ERROR_CONTENT_TYPE = "text/plain; charset=utf-8";

  private final PrometheusTextFormat format;

  MetricsHandler(PrometheusTextFormat format) {
    this.format = format;
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
      String text;
      try {
        text = format.render();
      } catch (RuntimeException e) {
        logger.log(Level.WARNING, "Rendering metrics failed", e);
        respond(exchange, 500, ERROR_CONTENT_TYPE, "Rendering metrics failed\n");
        return;
      }
      respond(exchange, 200, PrometheusTextFormat.CONTENT_TYPE, text);
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
