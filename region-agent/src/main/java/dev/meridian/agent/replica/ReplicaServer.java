package dev.meridian.agent.replica;

import dev.meridian.agent.model.Model;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One model replica: a gRPC server on a loopback port with the Predict service and {@code
 * grpc.health.v1}, reporting SERVING for the whole server and for each model it serves.
 */
public final class ReplicaServer implements AutoCloseable {
  private final ReplicaIdentity identity;
  private final List<Model> models;
  private final HealthStatusManager health = new HealthStatusManager();
  private final Server server;
  private final Duration drainTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Starts a replica.
   *
   * @param port the port to listen on, 0 for any free one
   * @param drainTimeout how long {@link #close()} lets in-flight calls finish
   */
  public ReplicaServer(
      ReplicaIdentity identity,
      List<Model> models,
      int port,
      int maxConcurrentCalls,
      Duration drainTimeout) {
    this.identity = identity;
    this.models = List.copyOf(models);
    this.drainTimeout = drainTimeout;
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .addService(
                new ReplicaInferenceService(
                    identity, models, new ConcurrencyLimit(maxConcurrentCalls)))
            .addService(health.getHealthService())
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "replica " + identity.replicaId() + ": cannot listen on port " + port, e);
    }
    for (Model model : models) {
      health.setStatus(model.name(), ServingStatus.SERVING);
    }
  }

  /** The replica's identity. */
  public ReplicaIdentity identity() {
    return identity;
  }

  /** The port the replica listens on. */
  public int port() {
    return server.getPort();
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
    }
  }

  /** Whether the server has fully stopped. */
  public boolean isTerminated() {
    return server.isTerminated();
  }

  /** The models this replica serves. */
  public List<Model> models() {
    return models;
  }
}
