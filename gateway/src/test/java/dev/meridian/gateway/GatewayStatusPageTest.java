package dev.meridian.gateway;

import static dev.meridian.gateway.GatewayFixture.EU;
import static dev.meridian.gateway.GatewayFixture.MODEL;
import static dev.meridian.gateway.GatewayFixture.US;
import static dev.meridian.gateway.GatewayFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.config.ListenAddress;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.gateway.status.GatewayStatusHandler;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real gateway's status page, fetched over HTTP from its metrics port. */
class GatewayStatusPageTest {
  private static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final GatewayFixture fixture = new GatewayFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void thePageShowsTheGatewaysBreakersReplicaGradesAndEjections() throws Exception {
    ScriptedReplica failing = fixture.replica(EU, MODEL);
    ScriptedReplica gone = fixture.replica(EU, MODEL);
    ScriptedReplica serving = fixture.replica(US, MODEL);
    fixture.table(MODEL, 1_000_000, 1);
    GatewayServer gateway =
        fixture.startGateway(
            dir.resolve("lkg.json"),
            config ->
                config.policies(
                    PolicyConfig.builder()
                        .breakerMinCalls(4)
                        .breakerOpenDelay(Duration.ofMinutes(5))
                        .build()));
    await().atMost(BOUND).until(() -> fixture.health() == ServingStatus.SERVING);
    await().atMost(BOUND).until(() -> fixture.seesReplicas(3));
    failing.fail(Status.UNAVAILABLE.withDescription("connection refused"));
    int gonePort = gone.port();
    gone.close();
    for (int i = 0; i < 10; i++) {
      assertThat(fixture.stub().predict(request(MODEL)).getServedBy().getRegion()).isEqualTo(US);
    }

    String page = fetch(gateway.metricsPort(), GatewayStatusHandler.PATH);

    assertThat(page)
        .contains("<meta http-equiv=\"refresh\" content=\"5\">")
        .contains("Gateway eu-west at " + gateway.advertisedAddress() + ": <b>SERVING</b>")
        .contains("<h2>Model fraud-score</h2>")
        .contains("<td>eu-west</td><td>1000000</td><td>ACTIVE</td>")
        .contains("<td class=\"OPEN\">OPEN</td>")
        .contains("<td>us-east</td><td>fraud-score</td><td class=\"CLOSED\">CLOSED</td>")
        .contains(
            "<td>"
                + serving.id
                + "</td><td>"
                + ListenAddress.DEFAULT_HOST
                + ":"
                + serving.port()
                + "</td>"
                + "<td>fraud-score</td><td>PASSING</td><td class=\"READY\">READY</td><td>no</td>")
        .contains(
            "<td>"
                + gone.id
                + "</td><td>"
                + ListenAddress.DEFAULT_HOST
                + ":"
                + gonePort
                + "</td><td>fraud-score</td>"
                + "<td>PASSING</td><td class=\"LAST_RESORT\">LAST_RESORT</td>"
                + "<td>ejected: CONNECT_FAILURE</td>");
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    fixture.replica(EU, MODEL);
    fixture.table(MODEL, 1, 0);
    GatewayServer gateway = fixture.startGateway(dir.resolve("lkg.json"), config -> config);

    HttpResponse<String> post =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(statusUri(gateway.metricsPort(), "/status"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(statusUri(gateway.metricsPort(), "/status/x")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(404);
  }

  private static URI statusUri(int port, String path) {
    return URI.create("http://" + ListenAddress.DEFAULT_HOST + ":" + port + path);
  }

  private static String fetch(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(statusUri(port, path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    return response.body();
  }
}
