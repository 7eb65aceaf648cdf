package dev.meridian.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsHttpServerTest {
  private final MetricRegistry registry = new MetricRegistry();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private MetricsHttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = MetricsHttpServer.start("127.0.0.1", 0, registry);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bindsAnEphemeralPort() {
    assertThat(server.port()).isPositive();
    assertThat(server.address().getPort()).isEqualTo(server.port());
  }

  @Test
  void servesMetricsInTextFormat() throws Exception {
    registry.counter(MetricNames.tagged("test.calls", "region", "eu-west")).inc(2);

    HttpResponse<String> response = send("GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body())
        .contains(
            """
            # HELP meridian_test_calls_total Calls a test made, by region
            # TYPE meridian_test_calls_total counter
            meridian_test_calls_total{region="eu-west"} 2.0
            """)
        .contains("# TYPE jvm_memory_used_bytes gauge")
        .contains("process_cpu_seconds_total")
        .containsPattern("meridian_build_info\\{version=\"[^\"]+\"} 1");
  }

  @Test
  void servesOpenMetricsToAScraperThatAsksForIt() throws Exception {
    registry.counter("test.calls").inc();

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0")
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
    assertThat(response.body()).contains("meridian_test_calls_total 1.0\n").endsWith("# EOF\n");
  }

  @Test
  void throwingGaugeDoesNotBreakTheScrape() throws Exception {
    registry.register(
        "broken",
        (Gauge<Long>)
            () -> {
              throw new IllegalStateException("boom");
            });
    registry.counter("ok").inc();

    HttpResponse<String> response = send("GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("meridian_ok_total 1.0\n").doesNotContain("broken");
  }

  @Test
  void otherMethodsAreNotAllowed() throws Exception {
    HttpResponse<String> response = send("POST", "/metrics");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    assertThat(send("GET", "/").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/metrics/extra").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/metricsz").statusCode()).isEqualTo(404);
  }

  @Test
  void servesAnotherHandlerBesideTheMetrics() throws Exception {
    server.handle(
        "/extra",
        exchange -> {
          try (exchange) {
            exchange.sendResponseHeaders(204, -1);
          }
        });

    assertThat(send("GET", "/extra").statusCode()).isEqualTo(204);
    assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void closeIsIdempotent() {
    server.close();
    server.close();
  }

  @Test
  void rejectsOutOfRangePort() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MetricsHttpServer.start("127.0.0.1", 65_536, registry))
        .withMessage("port: 65536 (expected: 0..65535)");
  }
}
