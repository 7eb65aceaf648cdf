package dev.meridian.agent.faults;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * A replica's admin listener: {@code FaultInjection}, and nothing else, on a free port of the
 * replica's host, for callers with the {@link AdminToken} ({@link BearerTokenInterceptor}). It runs
 * only when the agent config turns faults on; the replica's {@code Predict} port never serves it.
 * Thread-safe.
 */
public final class FaultsListener implements AutoCloseable {
  private final Server server;

  private FaultsListener(Server server) {
    this.server = server;
  }

  /**
   * Serves {@code service} on a free port of {@code host}.
   *
   * @throws UncheckedIOException when no port can be bound
   */
  public static FaultsListener start(String host, FaultInjectionService service, AdminToken token) {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, 0))
            .addService(ServerInterceptors.intercept(service, new BearerTokenInterceptor(token)))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("fault injection: cannot listen on host " + host, e);
    }
    return new FaultsListener(server);
  }

  /** The port it listens on. */
  public int port() {
    return server.getPort();
  }

  /** Stops at once: fault-injection calls are short and nothing waits on them. */
  @Override
  public void close() {
    server.shutdownNow();
  }
}
