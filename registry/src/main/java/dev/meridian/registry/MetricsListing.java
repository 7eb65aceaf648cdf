package dev.meridian.registry;

import com.ecwid.consul.v1.agent.model.NewService;
import dev.meridian.core.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists a process's {@code /metrics} server in its Consul agent as an instance of {@value
 * MeridianLayout#METRICS_SERVICE}, tagged with the process's role ({@code gateway}, {@code
 * controller}, {@code agent}), so that Prometheus finds every Meridian process through Consul
 * (replicas are found through their own registrations, whose {@value
 * MeridianLayout#META_METRICS_PORT} names their metrics port).
 *
 * <p>The instance has no health check: Prometheus' own {@code up} tells whether it answers. It is
 * registered again every {@link #REFRESH}, so a Consul that was down at start-up, or restarted
 * empty, lists it again within that; {@link #close()} removes it. Thread-safe.
 */
public final class MetricsListing implements AutoCloseable {
  /** How often the listing is written again. */
  public static final Duration REFRESH = Duration.ofSeconds(30);

  private static final Logger logger = LoggerFactory.getLogger(MetricsListing.class);

  private final ConsulServices services;
  private final NewService service;
  private final ScheduledExecutorService scheduler;

  private MetricsListing(ConsulServices services, NewService service) {
    this.services = services;
    this.service = service;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("meridian-metrics-listing"));
  }

  /**
   * Lists the metrics server of a process with {@code role} at {@code host:port} (its advertised
   * address) now and every {@link #REFRESH}; a write that fails is logged and made again at the
   * next refresh. Its datacenter is the one of the Consul agent {@code services} talks to.
   */
  public static MetricsListing start(ConsulServices services, String role, String host, int port) {
    NewService service = new NewService();
    service.setName(MeridianLayout.METRICS_SERVICE);
    service.setId(
        ConsulNames.name(
            "service id", MeridianLayout.METRICS_SERVICE + "-" + role + "-" + host + "-" + port));
    service.setAddress(host);
    service.setPort(port);
    service.setTags(List.of(ConsulNames.name("tag", role)));
    service.setMeta(Map.of("role", role));
    MetricsListing listing = new MetricsListing(services, service);
    listing.scheduler.scheduleWithFixedDelay(
        listing::write, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    return listing;
  }

  private void write() {
    try {
      services.register(service);
    } catch (RegistryException e) {
      logger
          .atWarn()
          .addKeyValue("service", service.getId())
          .addKeyValue("reason", e.getMessage())
          .log("cannot list in Consul yet");
    }
  }

  /** Stops refreshing and removes the listing; a Consul that cannot be reached is logged. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      services.deregister(service.getId());
    } catch (RegistryException e) {
      logger
          .atWarn()
          .addKeyValue("service", service.getId())
          .addKeyValue("reason", e.getMessage())
          .log("cannot remove the listing");
    }
  }
}
