package dev.meridian.agent.replica;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.config.AgentSettings;
import dev.meridian.core.Ticker;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.server.DebugServices;
import dev.meridian.core.server.ServerExecutor;
import dev.meridian.core.server.ServerLimits;
import dev.meridian.core.tls.TlsFiles;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.core.tracing.Tracing;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials.ClientAuth;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One model replica: a gRPC server on a host and port of its builder's choice with the Predict
 * service, the Open Inference Protocol's {@code GRPCInferenceService} on the same serving path
 * (ready while the server is not closed), {@code grpc.health.v1} (SERVING for the whole server and
 * for each model it serves, fallback or not), nothing else. Thread-safe.
 */
public final class ReplicaServer implements AutoCloseable {
  /**
   * Call threads beyond {@code max-concurrent-calls}: calls over the limit, health checks and fault
   * injection need a thread too, to be answered at once rather than wait behind running calls.
   */
  private static final int SPARE_THREADS = 16;

  private final ReplicaIdentity identity;
  private final List<ServedModel> models;
  private final HealthStatusManager health = new HealthStatusManager();
  private final TransportSecurity security;
  private final ExecutorService executor;
  private final Server server;
  private final Duration drainTimeout;
  private final Tracing tracing;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ReplicaServer(Builder builder) {
    this.identity = builder.identity;
    this.models = List.copyOf(builder.models);
    this.drainTimeout = builder.drainTimeout;
    this.tracing = builder.tracing;
    ServerInterceptor traced = tracing.serverInterceptor();
    this.executor =
        ServerExecutor.fixed(identity.replicaId(), builder.maxConcurrentCalls + SPARE_THREADS);
    // Only the gateway, the agent and the replica itself call a replica: all with certificates.
    this.security = TransportSecurity.of(builder.tls);
    ReplicaServing serving =
        new ReplicaServing(
            identity,
            models,
            new ConcurrencyLimit(builder.maxConcurrentCalls),
            builder.registry,
            builder.ticker);
    NettyServerBuilder netty =
        builder
            .limits
            .applyTo(
                security.server(
                    new InetSocketAddress(builder.host, builder.port), ClientAuth.REQUIRE))
            .executor(executor)
            .addService(ServerInterceptors.intercept(new ReplicaInferenceService(serving), traced))
            .addService(
                ServerInterceptors.intercept(
                    new OipInferenceService(serving, () -> !closed.get()), traced))
            .addService(health.getHealthService());
    this.server = DebugServices.addTo(netty, builder.reflection).build();
    try {
      server.start();
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException(
          "replica "
              + identity.replicaId()
              + ": cannot listen on host "
              + builder.host
              + " port "
              + builder.port,
          e);
    }
    for (ServedModel model : models) {
      health.setStatus(model.name(), ServingStatus.SERVING);
    }
  }

  /** Starts building a replica with the given identity. */
  public static Builder builder(ReplicaIdentity identity) {
    return new Builder(identity);
  }

  /** The replica's identity. */
  public ReplicaIdentity identity() {
    return identity;
  }

  /** The port the replica listens on. */
  public int port() {
    return server.getPort();
  }

  /** The models this replica serves. */
  public List<ServedModel> models() {
    return models;
  }

  /**
   * Stops gracefully: reports NOT_SERVING, refuses new calls, lets in-flight calls finish within
   * the drain timeout, then cancels what is left. Closing again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      security.close();
      tracing.close();
    }
    executor.shutdown();
  }

  /** Stops at once, failing in-flight calls, as a crash would; for fault injection. */
  public void abort() {
    closed.set(true);
    health.enterTerminalState();
    // The executor stays: the dying server may still hand it cancellations. Its idle threads end.
    server.shutdownNow();
    security.close();
    tracing.close();
  }

  /** How this replica's connections are secured, for the clients it runs itself. */
  public TransportSecurity security() {
    return security;
  }

  /** Whether the server has fully stopped. */
  public boolean isTerminated() {
    return server.isTerminated();
  }

  /** Builds and starts a {@link ReplicaServer}; not thread-safe. */
  public static final class Builder {
    private final ReplicaIdentity identity;
    private final List<ServedModel> models = new ArrayList<>();
    private String host = ListenAddress.DEFAULT_HOST;
    private int port;
    private Optional<TlsFiles> tls = Optional.empty();
    private int maxConcurrentCalls = AgentSettings.MAX_CONCURRENT_CALLS.defaultValue();
    private Duration drainTimeout = AgentSettings.DRAIN_TIMEOUT.defaultValue();
    private ServerLimits limits = AgentSettings.REPLICA_LIMITS.defaults();
    private MetricRegistry registry = new MetricRegistry();
    private Ticker ticker = Ticker.SYSTEM;
    private Tracing tracing = Tracing.off();
    private boolean reflection = AgentSettings.REPLICA_REFLECTION.defaultValue();

    private Builder(ReplicaIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
    }

    /** Adds a model to serve; at least one is required. */
    public Builder model(ServedModel model) {
      models.add(Objects.requireNonNull(model, "model"));
      return this;
    }

    /** The TLS files; empty (the default) for plaintext. */
    public Builder tls(Optional<TlsFiles> tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * The address to bind, {@code 0.0.0.0} for every interface; default {@link
     * ListenAddress#DEFAULT_HOST}.
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Calls run at once; more get {@code RESOURCE_EXHAUSTED}. Default and range those of {@code
     * models[].max-concurrent-calls}.
     */
    public Builder maxConcurrentCalls(int maxConcurrentCalls) {
      this.maxConcurrentCalls = maxConcurrentCalls;
      return this;
    }

    /**
     * How long {@link #close()} lets in-flight calls finish. Default and range those of {@code
     * replicas.drain-timeout}.
     */
    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
      return this;
    }

    /** What the server tolerates from clients. Default those of {@code replicas.limits.*}. */
    public Builder limits(ServerLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Serves reflection and channelz too ({@link DebugServices}). Default: off. */
    public Builder reflection(boolean reflection) {
      this.reflection = reflection;
      return this;
    }

    /**
     * Records a span per call, continuing its caller's trace; closed with the server. Default: off,
     * passing nothing on.
     */
    public Builder tracing(Tracing tracing) {
      this.tracing = Objects.requireNonNull(tracing, "tracing");
      return this;
    }

    /** Where the replica's metrics go. Default: a registry of its own, exported nowhere. */
    public Builder metrics(MetricRegistry registry, Ticker ticker) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Validates and starts the server.
     *
     * @throws IllegalArgumentException naming the offending value
     * @throws UncheckedIOException if the port cannot be bound
     */
    public ReplicaServer start() {
      if (models.isEmpty()) {
        throw new IllegalArgumentException("models: [] (expected: at least one)");
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
      AgentSettings.MAX_CONCURRENT_CALLS.check(maxConcurrentCalls);
      AgentSettings.DRAIN_TIMEOUT.check(drainTimeout);
      AgentSettings.REPLICA_LIMITS.check(limits);
      return new ReplicaServer(this);
    }
  }
}
