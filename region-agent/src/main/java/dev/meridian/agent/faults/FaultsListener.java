package dev.meridian.agent.faults;

import dev.meridian.core.server.DebugServices;
import dev.meridian.core.server.ServerLimits;
import dev.meridian.core.tls.TransportSecurity;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials.ClientAuth;
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
   * Serves {@code service} on a free port of {@code host}, secured like the replica's own server
   * (with TLS, callers need a certificate as well as the token) and under the same limits.
   *
   * @param reflection whether reflection and channelz are served too (without the token)
   * @throws UncheckedIOException when no port can be bound
   */
  public static FaultsListener start(
      String host,
      TransportSecurity security,
      ServerLimits limits,
      FaultInjectionService service,
      AdminToken token,
      boolean reflection) {
    Server server =
        DebugServices.addTo(
                limits
                    .applyTo(security.server(new InetSocketAddress(host, 0), ClientAuth.REQUIRE))
                    .addService(
                        ServerInterceptors.intercept(service, new BearerTokenInterceptor(token))),
                reflection)
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
