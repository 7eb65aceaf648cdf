package dev.meridian.controller.consul;

import com.google.gson.Gson;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.meridian.registry.ConsulServices;
import dev.meridian.registry.RegistryException;
import dev.meridian.registry.ScrapeTargets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Serves {@value #PATH} on the controller's metrics port: every Meridian process in every region,
 * read from Consul at each request, as Prometheus' HTTP service discovery reads targets ({@code
 * http_sd_configs}). A Consul that cannot be read answers 503, and Prometheus keeps the targets it
 * had. Thread-safe.
 */
public final class ScrapeTargetsHandler implements HttpHandler {
  /** Where the targets are served. */
  public static final String PATH = "/prometheus/targets";

  private static final Gson GSON = new Gson();

  private final ConsulServices services;
  private final List<String> regions;

  /** Serves the targets of {@code regions}, read through {@code services}. */
  public ScrapeTargetsHandler(ConsulServices services, List<String> regions) {
    this.services = services;
    this.regions = List.copyOf(regions);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        respond(exchange, 404, "text/plain; charset=utf-8", "Not found: targets are at " + PATH);
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        respond(exchange, 405, "text/plain; charset=utf-8", "Method not allowed: use GET");
      } else {
        try {
          respond(
              exchange,
              200,
              "application/json",
              GSON.toJson(ScrapeTargets.read(services, regions)));
        } catch (RegistryException e) {
          respond(
              exchange,
              503,
              "text/plain; charset=utf-8",
              "Consul cannot be read: " + e.getMessage());
        }
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
