package dev.meridian.agent;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.config.AgentConfig;
import dev.meridian.agent.config.ModelConfig;
import dev.meridian.agent.config.OipServer;
import dev.meridian.agent.config.ReplicaMode;
import dev.meridian.agent.launch.AttachedReplicaLauncher;
import dev.meridian.agent.launch.CommandReplicaLauncher;
import dev.meridian.agent.launch.InProcessReplicaLauncher;
import dev.meridian.agent.launch.ProcessReplicaLauncher;
import dev.meridian.agent.launch.ReplicaLauncher;
import dev.meridian.agent.launch.ReplicaSpec;
import dev.meridian.agent.supervision.ReplicaSupervisor;
import dev.meridian.core.Ticker;
import dev.meridian.core.metrics.MetricsHttpServer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.MetricsListing;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The region agent as deployed: runs every configured model's replicas (child processes or
 * in-process servers, or for a model of type {@code oip} an external server's processes, or the one
 * server it attaches to), each under a {@link ReplicaSupervisor} that registers it in Consul,
 * probes it and restarts it, and serves the agent's metrics on {@code /metrics}. Thread-safe.
 */
public final class SupervisedRegionAgent implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(SupervisedRegionAgent.class);

  /** Beyond the drain timeout, how long stopping may take: deregistering, and JVMs exiting. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final AgentConfig config;
  private final MetricsHttpServer metricsServer;
  private final MetricsListing metricsListing;
  private final ConsulRegistry consul;
  private final TransportSecurity security;
  private final List<ReplicaSupervisor> supervisors;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SupervisedRegionAgent(
      AgentConfig config,
      MetricsHttpServer metricsServer,
      ConsulRegistry consul,
      TransportSecurity security,
      List<ReplicaSupervisor> supervisors) {
    this.config = config;
    this.metricsServer = metricsServer;
    this.metricsListing =
        MetricsListing.start(
            consul.services(), "agent", config.metrics().advertiseHost(), metricsServer.port());
    this.security = security;
    this.consul = consul;
    this.supervisors = List.copyOf(supervisors);
  }

  /**
   * Starts the agent: metrics first, then every replica in the background.
   *
   * @throws IOException if the metrics port cannot be bound
   */
  public static SupervisedRegionAgent start(AgentConfig config, Ticker ticker) throws IOException {
    MetricRegistry registry = new MetricRegistry();
    MetricsHttpServer metrics =
        MetricsHttpServer.start(config.metrics().host(), config.metrics().port(), registry);
    logger
        .atInfo()
        .addKeyValue("url", "http://" + config.metrics().advertised(metrics.port()) + "/metrics")
        .log("agent metrics");
    ConsulRegistry consul = new ConsulRegistry(config.consul());
    TransportSecurity security = TransportSecurity.of(config.tls());
    ReplicaLauncher own =
        config.mode() == ReplicaMode.PROCESS
            ? new ProcessReplicaLauncher()
            : new InProcessReplicaLauncher(registry, ticker);
    List<ReplicaSupervisor> supervisors = new ArrayList<>();
    for (ModelConfig model : config.models()) {
      ReplicaLauncher launcher =
          model.server().map(server -> external(server, security)).orElse(own);
      for (int i = 0; i < model.replicas(); i++) {
        supervisors.add(
            new ReplicaSupervisor(
                ReplicaSpec.of(config, model, i),
                model,
                config,
                launcher,
                consul.services(),
                security,
                registry,
                ticker));
      }
    }
    supervisors.forEach(ReplicaSupervisor::start);
    return new SupervisedRegionAgent(config, metrics, consul, security, supervisors);
  }

  /** The launcher of an external OIP server's replicas. */
  private static ReplicaLauncher external(OipServer server, TransportSecurity security) {
    return server instanceof OipServer.Command command
        ? new CommandReplicaLauncher(command, security)
        : new AttachedReplicaLauncher((OipServer.Address) server, security);
  }

  /** The region the agent runs in. */
  public String region() {
    return config.region();
  }

  /** The port of the agent's {@code /metrics}. */
  public int metricsPort() {
    return metricsServer.port();
  }

  /** Where others reach the agent's {@code /metrics}: advertised host and bound port. */
  public String metricsAddress() {
    return config.metrics().advertised(metricsPort());
  }

  /** The supervisors, one per replica, in config order. */
  public List<ReplicaSupervisor> replicas() {
    return supervisors;
  }

  /**
   * Stops every replica at once, each deregistered from Consul before it drains its in-flight
   * calls, then stops the metrics and the Consul client. Closing again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<?>[] stops =
        supervisors.stream().map(ReplicaSupervisor::stop).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(stops)
          .get(config.drainTimeout().plus(STOP_GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      logger
          .atWarn()
          .addKeyValue("reason", String.valueOf(e))
          .log("replicas did not all stop cleanly");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      metricsListing.close();
      consul.close();
      metricsServer.close();
      security.close();
    }
  }
}
