package dev.meridian.agent.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads a process's Prometheus text from its /metrics endpoint, as a scraper would. */
public final class MetricsScrape {
  private MetricsScrape() {}

  /** The text served on {@code http://127.0.0.1:<port>/metrics}. */
  public static String get(int port) throws IOException, InterruptedException {
    return get("127.0.0.1", port);
  }

  /** The text served on {@code http://<host>:<port>/metrics}; an IPv4 address or a name. */
  public static String get(String host, int port) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
