package dev.meridian.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The ACL token travels in the X-Consul-Token header and never in a URL. */
class TokenHeaderTest {
  @Test
  void tokenIsSentAsAHeaderOnly() throws Exception {
    List<String> uris = new CopyOnWriteArrayList<>();
    List<String> tokens = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          uris.add(exchange.getRequestURI().toString());
          tokens.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Consul-Token")));
          String json =
              exchange.getRequestURI().getPath().startsWith("/v1/catalog/")
                  ? "[\"eu-west\"]"
                  : "[]";
          byte[] body = json.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("X-Consul-Index", "1");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try (ConsulRegistry registry =
        new ConsulRegistry(
            ConsulConfig.builder()
                .port(server.getAddress().getPort())
                .token("s3cret-token")
                .build())) {
      assertThat(registry.datacenters()).containsExactly("eu-west");
      registry.services().healthy("meridian-replica", "eu-west", 0);
    } finally {
      server.stop(0);
    }

    assertThat(uris)
        .hasSize(2)
        .noneMatch(uri -> uri.contains("token"))
        .noneMatch(uri -> uri.contains("s3cret"));
    assertThat(tokens).containsOnly("s3cret-token");
  }
}
