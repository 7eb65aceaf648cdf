package dev.meridian.agent.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.meridian.devconsul.DevConsul;
import dev.meridian.devconsul.DevConsulConfig;
import dev.meridian.registry.ConsulConfig;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.ServiceInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-JVM dev Consul with the one datacenter {@code eu-west}, reached over real HTTP, with reads
 * of what the agent wrote there: replica instances and their checks' status and output.
 */
public final class ConsulHarness implements AutoCloseable {
  /** The region, and datacenter, the tests run in. */
  public static final String REGION = "eu-west";

  private final DevConsul consul =
      new DevConsul(DevConsulConfig.builder().datacenters(List.of(REGION)).basePort(0).build())
          .start();
  private final ConsulRegistry registry =
      new ConsulRegistry(ConsulConfig.builder().port(port()).build());
  private final HttpClient http = HttpClient.newHttpClient();

  /** The HTTP port of the datacenter's agent. */
  public int port() {
    return consul.port(REGION);
  }

  /** Every replica instance registered, passing or not. */
  public List<ServiceInstance> replicas() {
    return registry.services().all(MeridianLayout.REPLICA_SERVICE, REGION, 0).value();
  }

  /** The instance {@code replicaId}, if registered. */
  public Optional<ServiceInstance> replica(String replicaId) {
    return replicas().stream().filter(r -> r.id().equals(replicaId)).findFirst();
  }

  /** A check's status ({@code passing}, {@code warning}, {@code critical}) and output. */
  public record Check(String status, String output) {}

  /** The check of {@code replicaId}, if registered. */
  public Optional<Check> check(String replicaId) {
    return Optional.ofNullable(checks().get("service:" + replicaId));
  }

  private Map<String, Check> checks() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(consul.uri(REGION) + "/v1/agent/checks")).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
      Map<String, Check> checks = new TreeMap<>();
      body.entrySet()
          .forEach(
              entry -> {
                JsonObject check = entry.getValue().getAsJsonObject();
                checks.put(
                    entry.getKey(),
                    new Check(
                        check.get("Status").getAsString(), check.get("Output").getAsString()));
              });
      return checks;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    registry.close();
    consul.close();
  }
}
