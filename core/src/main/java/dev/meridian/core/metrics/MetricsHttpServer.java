package dev.meridian.core.metrics;

import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.meridian.core.DaemonThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves a registry's metrics to Prometheus at {@code GET /metrics}, on the JDK's built-in HTTP
 * server, for every Meridian process to expose.
 *
 * <p>Thread-safe. Scrapes are answered one at a time on one daemon thread, so a burst of scrapes
 * cannot take more than one core, and a slow one never stops the server accepting connections.
 */
public final class MetricsHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MetricsHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving {@code registry} on {@code host:port}. Port 0 binds a free port, which {@link
   * #port()} then tells.
   *
   * @param host the address to bind, such as {@code 0.0.0.0} for every interface
   * @throws IOException if the address cannot be bound
   */
  public static MetricsHttpServer start(String host, int port, MetricRegistry registry)
      throws IOException {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    MetricsHandler handler = new MetricsHandler(new Exposition(registry));
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    ExecutorService executor =
        Executors.newSingleThreadExecutor(DaemonThreads.named("meridian-metrics-http"));
    server.createContext("/", handler);
    server.setExecutor(executor);
    server.start();
    return new MetricsHttpServer(server, executor);
  }

  /**
   * Also serves {@code handler} at {@code path} (and below it), on the same thread as the scrapes;
   * the handler must answer quickly.
   */
  public void handle(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  /** The address the server is bound to, with the actual port. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The port the server is bound to; never 0. */
  public int port() {
    return address().getPort();
  }

  /** Stops serving at once, dropping any scrape in progress. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
