package dev.meridian.gateway;

import com.codahale.metrics.MetricRegistry;
import dev.failsafe.spi.Scheduler;
import dev.meridian.core.DaemonThreads;
import dev.meridian.core.Ticker;
import dev.meridian.core.metrics.MetricsHttpServer;
import dev.meridian.core.server.DebugServices;
import dev.meridian.core.server.EventLoops;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.core.tracing.Tracing;
import dev.meridian.gateway.call.ImmediateFirstScheduler;
import dev.meridian.gateway.call.PredictPipeline;
import dev.meridian.gateway.load.LoadMeter;
import dev.meridian.gateway.load.LoadReportPublisher;
import dev.meridian.gateway.outlier.LivenessMonitor;
import dev.meridian.gateway.outlier.OutlierDetector;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import dev.meridian.gateway.policy.RetryBudget;
import dev.meridian.gateway.routing.ChannelCache;
import dev.meridian.gateway.routing.LastKnownGoodFile;
import dev.meridian.gateway.routing.RegionSelector;
import dev.meridian.gateway.routing.ReplicaAvailability;
import dev.meridian.gateway.routing.ReplicaEndpoint;
import dev.meridian.gateway.routing.ReplicaPicker;
import dev.meridian.gateway.routing.ReplicaWarmUp;
import dev.meridian.gateway.routing.RoutingFeed;
import dev.meridian.gateway.routing.RoutingState;
import dev.meridian.gateway.routing.TableRejections;
import dev.meridian.gateway.status.GatewayStatusHandler;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.MetricsListing;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway process: {@code Predict} across regions and {@code grpc.health.v1} on one gRPC
 * server, Prometheus metrics on another port, the routing feed from Consul, and the load reports
 * written back to it. This is the one place the gateway's collaborators are wired together.
 *
 * <p>Health is NOT_SERVING until the gateway has a routing table (from Consul or its
 * last-known-good file) and has connected to and warmed up every replica it knows, SERVING from
 * then on, and NOT_SERVING again for the drain period before it stops.
 */
public final class GatewayServer implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(GatewayServer.class);
  private static final String INFERENCE_SERVICE = InferenceGrpc.SERVICE_NAME;

  private final GatewayConfig config;
  private final ConsulRegistry registry;
  private final RoutingState state;
  private final ChannelCache channels;
  private final OutlierDetector outliers;
  private final ReplicaWarmUp warmUp;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService warmUpThreads;
  private final HealthStatusManager health = new HealthStatusManager();
  private final TransportSecurity security;
  private final Server server;
  private final LoadMeter loadMeter;
  private final Tracing tracing;
  private final ReplicaAvailability availability;
  private final RegionPolicyRegistry policies;
  private volatile boolean serving;
  private LastKnownGoodFile lastKnownGood;
  private RoutingFeed feed;
  private LivenessMonitor liveness;
  // Calls in and out share these threads, so relaying one never wakes another thread.
  private final EventLoops eventLoops = EventLoops.perProcessor();
  private MetricsHttpServer metricsServer;
  private MetricsListing metricsListing;
  private LoadReportPublisher loadReports;

  private GatewayServer(GatewayConfig config, MetricRegistry metrics, Tracing tracing) {
    this.config = config;
    this.tracing = tracing;
    this.registry = new ConsulRegistry(config.consul());
    this.state = new RoutingState(Ticker.SYSTEM);
    this.loadMeter = new LoadMeter(Ticker.SYSTEM);
    GatewayMetrics gatewayMetrics = new GatewayMetrics(metrics, state, loadMeter);
    this.outliers = new OutlierDetector(config.policies().outlier(), Ticker.SYSTEM, gatewayMetrics);
    this.security = TransportSecurity.of(config.tls());
    this.channels =
        new ChannelCache(
            security,
            eventLoops,
            config.limits().maxInboundMessageBytes(),
            new ChannelCache.ConnectivityListener() {
              @Override
              public void ready(ReplicaEndpoint replica) {
                outliers.recovered(replica.id(), OutlierDetector.Cause.CONNECT_FAILURE);
              }

              @Override
              public void failed(ReplicaEndpoint replica) {
                outliers.eject(replica.id(), OutlierDetector.Cause.CONNECT_FAILURE);
              }
            },
            Ticker.SYSTEM);
    // Attempts start on these threads (and may wait there for a bulkhead's max-wait).
    this.scheduler = Executors.newScheduledThreadPool(8, DaemonThreads.named("gateway-scheduler"));
    this.warmUpThreads = Executors.newFixedThreadPool(4, DaemonThreads.named("gateway-warm-up"));
    this.warmUp =
        new ReplicaWarmUp(
            channels,
            config.warmUpRequests(),
            config.warmUpTimeout(),
            warmUpThreads,
            this::servingOnceReady);
    this.availability = new ReplicaAvailability(outliers, channels, warmUp);
    gatewayMetrics.replicaGrades(state, availability);
    ReplicaPicker replicas = new ReplicaPicker(state, availability);
    this.policies = new RegionPolicyRegistry(config.policies(), gatewayMetrics, Ticker.SYSTEM);
    RegionSelector regions =
        new RegionSelector(replicas, policies, () -> ThreadLocalRandom.current().nextDouble());
    PredictPipeline pipeline =
        PredictPipeline.create(
            state,
            replicas,
            regions,
            channels,
            outliers,
            policies,
            new RetryBudget(
                config.policies().retryRatio(),
                config.policies().minRetriesPerSecond(),
                Ticker.SYSTEM),
            config.policies(),
            config.regions(),
            config.region(),
            config.policies().bulkheadMaxWait().isZero()
                ? new ImmediateFirstScheduler(eventLoops, scheduler)
                : Scheduler.of(scheduler),
            Ticker.SYSTEM,
            gatewayMetrics,
            tracing);
    GatewayCalls calls = new GatewayCalls(config, state, pipeline);
    ModelCatalog catalog = new ModelCatalog(state, replicas, regions, channels);
    ServerInterceptor traced = tracing.serverInterceptor();
    this.server =
        DebugServices.addTo(
                config
                    .limits()
                    .applyTo(
                        eventLoops.serve(
                            security.server(
                                new InetSocketAddress(
                                    config.listen().host(), config.listen().port()),
                                config.clientAuth())))
                    // Handlers never block (calls are asynchronous), so they run on the
                    // transport's threads instead of hopping to an executor.
                    .directExecutor()
                    .addService(
                        ServerInterceptors.intercept(new GatewayInferenceService(calls), traced))
                    .addService(
                        ServerInterceptors.intercept(new GatewayOipService(calls, catalog), traced))
                    .addService(health.getHealthService()),
                config.reflection())
            .build();
  }

  /**
   * Starts a gateway: loads the last-known-good view, starts following Consul, and listens; traces
   * as its {@code tracing} section says.
   *
   * @throws UncheckedIOException when a port cannot be bound
   */
  public static GatewayServer start(GatewayConfig config, MetricRegistry metrics) {
    return start(
        config,
        metrics,
        Tracing.of(
            config.tracing(),
            "meridian-gateway",
            Attributes.of(
                AttributeKey.stringKey("meridian.region"),
                config.region(),
                AttributeKey.stringKey("service.instance.id"),
                config.listen().advertiseHost() + ":" + config.listen().port())));
  }

  /**
   * Starts a gateway that records its spans with {@code tracing}, which it closes with itself.
   *
   * @throws UncheckedIOException when a port cannot be bound
   */
  public static GatewayServer start(GatewayConfig config, MetricRegistry metrics, Tracing tracing) {
    GatewayServer gateway = new GatewayServer(config, metrics, tracing);
    try {
      gateway.startUp(metrics);
    } catch (IOException e) {
      gateway.close();
      throw new UncheckedIOException(
          "gateway: cannot listen on "
              + config.listen().host()
              + ":"
              + config.listen().port()
              + " or "
              + config.metrics().host()
              + ":"
              + config.metrics().port(),
          e);
    }
    return gateway;
  }

  private void startUp(MetricRegistry metrics) throws IOException {
    setHealth(ServingStatus.NOT_SERVING);
    lastKnownGood = new LastKnownGoodFile(config.lastKnownGoodFile(), Clock.systemUTC(), metrics);
    TableRejections rejections = new TableRejections(metrics);
    lastKnownGood.loadInto(state, rejections);
    replicasChanged(state.allReplicas());
    feed =
        RoutingFeed.start(
            registry,
            config.region(),
            config.regions(),
            state,
            lastKnownGood,
            rejections,
            this::replicasChanged,
            this::servingOnceReady);
    liveness =
        LivenessMonitor.start(state, channels, outliers, config.policies().outlier(), scheduler);
    server.start();
    metricsServer =
        MetricsHttpServer.start(config.metrics().host(), config.metrics().port(), metrics);
    metricsServer.handle(
        GatewayStatusHandler.PATH,
        new GatewayStatusHandler(
            config.region() + " at " + advertisedAddress(),
            () -> serving,
            state,
            availability,
            outliers,
            policies,
            Clock.systemUTC()));
    metricsListing =
        MetricsListing.start(
            registry.services(), "gateway", config.metrics().advertiseHost(), metricsServer.port());
    loadReports =
        new LoadReportPublisher(
                registry.kv(),
                LoadReportPublisher.gatewayId(config.region(), hostName(), port()),
                config.region(),
                loadMeter,
                policies::breakers,
                config.loadReportInterval(),
                Clock.systemUTC())
            .start(scheduler);
  }

  /** This machine's (or pod's) name; the advertised host when it has none that resolves. */
  private String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return config.listen().advertiseHost();
    }
  }

  /** Connects and warms new replicas, and forgets those gone. */
  private void replicasChanged(Map<String, List<ReplicaEndpoint>> replicas) {
    List<ReplicaEndpoint> all = replicas.values().stream().flatMap(List::stream).toList();
    Set<String> addresses = all.stream().map(ReplicaEndpoint::address).collect(Collectors.toSet());
    warmUp.retainOnly(channels.retain(addresses));
    outliers.retainOnly(all.stream().map(ReplicaEndpoint::id).toList());
    warmUp.warm(all);
    servingOnceReady();
  }

  /**
   * SERVING once the gateway has a routing table and has connected to and warmed every replica it
   * knows (or given up on those it cannot reach), so that its first calls run at steady-state
   * latency. It stays SERVING afterwards: replicas learned later are warmed before they get calls.
   */
  private void servingOnceReady() {
    if (!serving
        && state.hasTables()
        && !state.allReplicas().isEmpty()
        && warmUp.allDone(state.everyReplica())) {
      serving = true;
      logger
          .atInfo()
          .addKeyValue("event", "gateway_serving")
          .addKeyValue("region", config.region())
          .log("gateway serving");
      setHealth(ServingStatus.SERVING);
    }
  }

  private void setHealth(ServingStatus status) {
    health.setStatus("", status);
    health.setStatus(INFERENCE_SERVICE, status);
  }

  /** The port the gateway listens on. */
  public int port() {
    return server.getPort();
  }

  /** The port of the metrics endpoint. */
  public int metricsPort() {
    return metricsServer.port();
  }

  /** Where others reach the gateway: its advertised host and bound port. */
  public String advertisedAddress() {
    return config.listen().advertised(port());
  }

  /** Where others reach its metrics: the advertised host and bound port. */
  public String advertisedMetricsAddress() {
    return config.metrics().advertised(metricsPort());
  }

  /** What the gateway knows now, for tests and diagnostics. */
  public RoutingState routingState() {
    return state;
  }

  /**
   * Stops: reports NOT_SERVING, waits the drain period so load balancers move away, refuses new
   * calls, lets in-flight calls finish (up to 10 s), then writes the last-known-good file's pending
   * save and closes everything else.
   */
  @Override
  public void close() {
    health.enterTerminalState();
    try {
      Thread.sleep(config.drainPeriod().toMillis());
      server.shutdown();
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    logger
        .atInfo()
        .addKeyValue("event", "gateway_stopped")
        .addKeyValue("region", config.region())
        .log("gateway stopped");
    if (loadReports != null) {
      // After the calls have finished, and before Consul is let go: its last act is the delete.
      loadReports.close();
    }
    if (feed != null) {
      feed.close();
    }
    if (liveness != null) {
      liveness.close();
    }
    if (lastKnownGood != null) {
      // After the feed, so that the view it last published is the one written.
      lastKnownGood.close();
    }
    if (metricsListing != null) {
      metricsListing.close();
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    channels.close();
    eventLoops.close();
    security.close();
    scheduler.shutdownNow();
    warmUpThreads.shutdownNow();
    registry.close();
    tracing.close();
  }
}
