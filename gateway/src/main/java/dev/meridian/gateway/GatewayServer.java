package dev.meridian.gateway;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway process's gRPC server: {@code Predict} across regions and {@code grpc.health.v1},
 * with limits that protect it from oversized messages and greedy connections. Wires the
 * collaborators together in one place.
 */
public final class GatewayServer implements AutoCloseable {
  private final List<RegionUpstream> regions = new ArrayList<>();
  private final HealthStatusManager health = new HealthStatusManager();
  private final Server server;

  private GatewayServer(GatewayConfig config) {
    for (String region : config.regionsInPreferenceOrder()) {
      regions.add(RegionUpstream.connect(region, config.upstreams().get(region)));
    }
    CrossRegionCaller caller = new CrossRegionCaller(regions, config.defaultTimeout());
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", config.port()))
            .addService(new GatewayInferenceService(config.models(), caller))
            .addService(health.getHealthService())
            .maxInboundMessageSize(config.maxInboundMessageBytes())
            .maxInboundMetadataSize(16 * 1024)
            .maxConcurrentCallsPerConnection(config.maxConcurrentCallsPerConnection())
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .build();
  }

  /**
   * Starts a gateway and reports it SERVING.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static GatewayServer start(GatewayConfig config) {
    GatewayServer gateway = new GatewayServer(config);
    try {
      gateway.server.start();
    } catch (IOException e) {
      gateway.closeUpstreams();
      throw new UncheckedIOException("gateway: cannot listen on port " + config.port(), e);
    }
    gateway.health.setStatus("", ServingStatus.SERVING);
    return gateway;
  }

  /** The port the gateway listens on. */
  public int port() {
    return server.getPort();
  }

  /**
   * Stops: reports NOT_SERVING, refuses new calls, lets in-flight calls finish (up to 10 s), then
   * closes the upstream channels.
   */
  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    closeUpstreams();
  }

  private void closeUpstreams() {
    regions.forEach(RegionUpstream::close);
  }
}
