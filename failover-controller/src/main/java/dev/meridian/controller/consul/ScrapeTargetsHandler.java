package dev.meridian.controller.consul;

import com.google.gson.Gson;
import com.sun.net.httpserver.HttpExchange;
import dev.meridian.core.server.GetHandler;
import dev.meridian.registry.ConsulServices;
import dev.meridian.registry.RegistryException;
import dev.meridian.registry.ScrapeTargets;
import java.util.List;

/**
 * Serves {@value #PATH} on the controller's metrics port: every Meridian process in every region,
 * read from Consul at each request, as Prometheus' HTTP service discovery reads targets ({@code
 * http_sd_configs}). A Consul that cannot be read answers 503, and Prometheus keeps the targets it
 * had. Thread-safe.
 */
public final class ScrapeTargetsHandler extends GetHandler {
  /** Where the targets are served. */
  public static final String PATH = "/prometheus/targets";

  private static final Gson GSON = new Gson();

  private final ConsulServices services;
  private final List<String> regions;

  /** Serves the targets of {@code regions}, read through {@code services}. */
  public ScrapeTargetsHandler(ConsulServices services, List<String> regions) {
    super(PATH);
    this.services = services;
    this.regions = List.copyOf(regions);
  }

  @Override
  protected Reply reply(HttpExchange exchange) {
    try {
      return Reply.of(200, "application/json", GSON.toJson(ScrapeTargets.read(services, regions)));
    } catch (RegistryException e) {
      return Reply.text(503, "Consul cannot be read: " + e.getMessage());
    }
  }
}
