package dev.meridian.deploy.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.deploy.Promtool;
import dev.meridian.deploy.topology.ChildProcess;
import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.deploy.topology.PrometheusFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A real Prometheus (the Debian package's) on the configuration the topology wrote, which finds
 * every process through Consul and evaluates Meridian's rules. One change to the rules: every
 * {@code for} and every group's evaluation {@code interval} is {@value #SHORT_IN_TESTS}, so that a
 * fault of seconds shows the alerts' and the recording rules' wiring (a 30 s group may not have
 * evaluated yet when a scenario's query runs); their timing is what {@code promtool test rules}
 * checks. Its data lives in the topology's directory, its log beside the topology's logs.
 */
final class PrometheusServer implements AutoCloseable {
  private static final String SHORT_IN_TESTS = "2s";
  private static final Pattern FOR_OR_INTERVAL =
      Pattern.compile("(?m)^(\\s+(?:for|interval):) \\S+$");

  private final ChildProcess process;
  private final URI api;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusServer(ChildProcess process, URI api) {
    this.process = process;
    this.api = api;
  }

  /** Starts Prometheus on a free port for {@code topology}. */
  static PrometheusServer start(LocalTopology topology) throws IOException {
    Promtool.require();
    PrometheusFiles files = new PrometheusFiles(topology.plan());
    Files.writeString(
        files.rules(),
        FOR_OR_INTERVAL
            .matcher(Files.readString(files.rules()))
            .replaceAll("$1 " + SHORT_IN_TESTS));
    String listen = ListenAddress.DEFAULT_HOST + ":" + freePort();
    Path data = topology.plan().directory().resolve("prometheus").resolve("data");
    ChildProcess process =
        ChildProcess.exec(
            "prometheus",
            topology.plan().logs().resolve("prometheus.log"),
            List.of(
                Promtool.PROMETHEUS.toString(),
                "--config.file=" + files.config(),
                "--storage.tsdb.path=" + data,
                "--web.listen-address=" + listen));
    PrometheusServer server =
        new PrometheusServer(process, URI.create("http://" + listen + "/api/v1/"));
    server.awaitReady(URI.create("http://" + listen + "/-/ready"));
    return server;
  }

  /** Waits until Prometheus answers ready; fails at once, with its log, if it exited. */
  private void awaitReady(URI ready) {
    Awaitility.await("Prometheus ready")
        .atMost(Waits.SETTLE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "Prometheus exited: " + Files.readString(process.log()));
              }
              try {
                return http.send(
                            HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200;
              } catch (IOException notListeningYet) {
                return false;
              }
            });
  }

  /** The scrape URL and health of every target Prometheus has found. */
  List<Target> targets() throws IOException, InterruptedException {
    List<Target> targets = new ArrayList<>();
    for (JsonElement target :
        get("targets?state=active").getAsJsonObject().getAsJsonArray("activeTargets")) {
      JsonObject fields = target.getAsJsonObject();
      targets.add(
          new Target(
              fields.getAsJsonObject("labels").get("job").getAsString(),
              fields.get("scrapeUrl").getAsString(),
              fields.get("health").getAsString()));
    }
    return targets;
  }

  /**
   * A target Prometheus scrapes.
   *
   * @param job {@code meridian-<role>}
   * @param scrapeUrl where it reads {@code /metrics}
   * @param health {@code up}, {@code down} or {@code unknown} (not scraped yet)
   */
  record Target(String job, String scrapeUrl, String health) {}

  /** The values of an instant query's result, one per series; empty when it has none. */
  List<Double> query(String promql) throws IOException, InterruptedException {
    List<Double> values = new ArrayList<>();
    for (JsonElement sample :
        get("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
            .getAsJsonObject()
            .getAsJsonArray("result")) {
      values.add(sample.getAsJsonObject().getAsJsonArray("value").get(1).getAsDouble());
    }
    return values;
  }

  /** The body of a target's {@code /metrics}, as Prometheus would read it. */
  String scrape(Target target) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(target.scrapeUrl()))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private JsonElement get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "Prometheus answered " + response.statusCode() + ": " + response.body());
    }
    return JsonParser.parseString(response.body()).getAsJsonObject().get("data");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops Prometheus. */
  @Override
  public void close() {
    process.close();
  }
}
