package dev.meridian.core.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An HTTP server that takes OTLP exports as a collector would, answering 200 to every POST and
 * keeping what it was sent, for tests and benchmarks of span export. Thread-safe.
 */
public final class OtlpCollector implements AutoCloseable {
  /** One export as received. */
  public record Export(String path, String contentType, byte[] body) {}

  private final BlockingQueue<Export> received = new LinkedBlockingQueue<>();
  private final HttpServer server;

  private OtlpCollector(HttpServer server) {
    this.server = server;
  }

  /** Starts a collector on a free loopback port. */
  public static OtlpCollector start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      OtlpCollector collector = new OtlpCollector(server);
      server.createContext("/", collector::receive);
      server.start();
      return collector;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void receive(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    try (InputStream body = exchange.getRequestBody()) {
      received.add(
          new Export(
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body.readAllBytes()));
    }
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  /** Its traces endpoint, {@code http://127.0.0.1:<port>/v1/traces}. */
  public URI tracesEndpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
  }

  /** What it was sent so far, oldest first, taken out of the collector. */
  public BlockingQueue<Export> received() {
    return received;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
