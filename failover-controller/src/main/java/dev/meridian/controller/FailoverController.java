package dev.meridian.controller;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.controller.admin.AuditLog;
import dev.meridian.controller.admin.AuthInterceptor;
import dev.meridian.controller.admin.AuthMetrics;
import dev.meridian.controller.admin.RegionAdminService;
import dev.meridian.controller.admin.SecuredAdminService;
import dev.meridian.controller.admin.TokenHash;
import dev.meridian.controller.consul.ConsulLeadership;
import dev.meridian.controller.consul.Leadership;
import dev.meridian.controller.consul.LoadReportFeed;
import dev.meridian.controller.consul.LoadReports;
import dev.meridian.controller.consul.ReplicaHealthWatch;
import dev.meridian.controller.consul.ScrapeTargetsHandler;
import dev.meridian.controller.status.StatusPageHandler;
import dev.meridian.core.Ticker;
import dev.meridian.core.metrics.MetricsHttpServer;
import dev.meridian.core.server.DebugServices;
import dev.meridian.core.server.ServerExecutor;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.MetricsListing;
import io.grpc.Server;
import io.grpc.TlsServerCredentials.ClientAuth;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One failover controller process, wired in one place: the admin gRPC server ({@code RegionAdmin}
 * behind authentication, the audit log and the role check, plus {@code grpc.health.v1}, SERVING
 * once replica health has been read in every region), the leader campaign, one health watch per
 * region, the routing engine and the metrics server. {@link #close()} stops everything in reverse
 * order; a leader releases the lock so a standby takes over at once.
 */
public final class FailoverController implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(FailoverController.class);
  private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(10);

  private final Deque<AutoCloseable> resources;
  private final ConsulLeadership leadership;
  private final RoutingEngine engine;
  private final Server server;
  private final MetricsHttpServer metricsServer;
  private final String candidateId;
  private final String metricsAddress;

  private FailoverController(
      ControllerConfig config, MetricRegistry metricRegistry, Deque<AutoCloseable> resources)
      throws IOException {
    this.resources = resources;
    ConsulRegistry registry = own(new ConsulRegistry(config.consul()));
    AuditLog audit =
        own(
            AuditLog.open(
                config.audit().file(),
                config.audit().maxFileBytes(),
                config.audit().keepFiles(),
                InstantSource.system()));
    AuthMetrics authMetrics = new AuthMetrics(metricRegistry);
    SerialLoop loop = own(new SerialLoop(ADMIN_CALL_TIMEOUT));
    this.leadership =
        new ConsulLeadership(
            registry,
            config.controlDatacenter(),
            config.leader().sessionTtl(),
            config.leader().lockDelay(),
            config.leader().retryInterval());
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("", ServingStatus.NOT_SERVING);
    LoadReportFeed load =
        own(
            LoadReportFeed.start(
                new LoadReports(
                    registry,
                    config.regions(),
                    InstantSource.system(),
                    metricRegistry.counter("controller.load_reports.malformed")),
                config.drain().loadRefresh()));
    ControllerMetrics metrics = new ControllerMetrics(metricRegistry, leadership);
    this.engine =
        RoutingEngine.create(
            config,
            registry,
            leadership,
            metrics,
            metrics::rejectedRecord,
            load::latest,
            loop,
            Ticker.SYSTEM,
            InstantSource.system(),
            () -> health.setStatus("", ServingStatus.SERVING));
    ExecutorService adminThreads = ServerExecutor.fixed("admin", config.adminThreads());
    // Pushed first, so shut down after the server that uses it.
    resources.push(adminThreads::shutdown);
    this.server =
        DebugServices.addTo(
                config
                    .adminLimits()
                    .applyTo(
                        own(TransportSecurity.of(config.tls()))
                            // Operators are known by a client certificate or by a token: both
                            // are welcome.
                            .server(
                                new InetSocketAddress(config.admin().host(), config.admin().port()),
                                ClientAuth.OPTIONAL)),
                config.adminReflection())
            .executor(adminThreads)
            .addService(
                SecuredAdminService.of(
                    new RegionAdminService(engine.operations(), leadership),
                    new AuthInterceptor(
                        config.auth().directory(Ticker.SYSTEM),
                        config.auth().failureBurst(),
                        config.auth().failureRefill(),
                        Ticker.SYSTEM,
                        audit,
                        authMetrics),
                    audit,
                    authMetrics))
            .addService(health.getHealthService())
            .build()
            .start();
    resources.push(
        () -> {
          health.enterTerminalState();
          server.shutdown();
          if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
          }
        });
    this.metricsServer =
        own(
            MetricsHttpServer.start(
                config.metrics().host(), config.metrics().port(), metricRegistry));
    TokenHash.warmUpInBackground();
    engine.start();
    own(ReplicaHealthWatch.start(registry, config.regions(), engine));
    this.candidateId = config.admin().advertised(server.getPort());
    this.metricsAddress = config.metrics().advertised(metricsServer.port());
    metricsServer.handle(
        ScrapeTargetsHandler.PATH, new ScrapeTargetsHandler(registry.services(), config.regions()));
    metricsServer.handle(
        StatusPageHandler.PATH,
        new StatusPageHandler(
            candidateId, leadership, engine.operations(), InstantSource.system()));
    own(
        MetricsListing.start(
            registry.services(),
            "controller",
            config.metrics().advertiseHost(),
            metricsServer.port()));
    leadership.campaign(candidateId, engine);
    own(leadership);
  }

  /**
   * Starts a controller.
   *
   * @param metricRegistry where its metrics go (also served on the metrics port)
   * @throws UncheckedIOException when a port cannot be bound or the audit log cannot be opened;
   *     whatever had started is closed again
   */
  public static FailoverController start(ControllerConfig config, MetricRegistry metricRegistry) {
    Deque<AutoCloseable> resources = new ArrayDeque<>();
    try {
      return new FailoverController(config, metricRegistry, resources);
    } catch (IOException e) {
      closeAll(resources);
      throw new UncheckedIOException("failover controller " + config.id() + ": " + e, e);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  private <T extends AutoCloseable> T own(T resource) {
    resources.push(resource);
    return resource;
  }

  /** This controller's leadership. */
  public Leadership leadership() {
    return leadership;
  }

  /**
   * The epoch this controller acts under as leader, 0 while it does not: taken from a counter that
   * only grows, above every epoch in KV, not the lock's LockIndex.
   */
  public long epoch() {
    return engine.epoch();
  }

  /** The admin server's port. */
  public int adminPort() {
    return server.getPort();
  }

  /** The metrics server's port. */
  public int metricsPort() {
    return metricsServer.port();
  }

  /**
   * The admin server's address as others reach it, the advertised host and the bound port: the
   * value of the leader key while this controller leads, which standbys name.
   */
  public String candidateId() {
    return candidateId;
  }

  /** The metrics server's address as others reach it: the advertised host and the bound port. */
  public String metricsAddress() {
    return metricsAddress;
  }

  /** Stops campaigning (releasing the lock if leading), watching, serving; in that order. */
  @Override
  public void close() {
    closeAll(resources);
  }

  private static void closeAll(Deque<AutoCloseable> resources) {
    while (!resources.isEmpty()) {
      AutoCloseable resource = resources.pop();
      try {
        resource.close();
      } catch (Exception e) {
        logger
            .atWarn()
            .addKeyValue("resource", String.valueOf(resource))
            .setCause(e)
            .log("failover controller: failed to close");
      }
    }
  }
}
