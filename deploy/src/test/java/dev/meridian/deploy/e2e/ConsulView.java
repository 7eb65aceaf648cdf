package dev.meridian.deploy.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.meridian.core.tls.SslContexts;
import dev.meridian.deploy.topology.TopologyCertificates;
import dev.meridian.deploy.topology.TopologyPlan;
import dev.meridian.registry.MeridianLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the topology's dev Consul holds, read over its HTTP API as an operator would: the replicas
 * registered in each region with their health, the controller leader key, and the routing tables. A
 * Consul that does not answer makes every read throw {@link UncheckedIOException}.
 */
final class ConsulView {
  private static final String LEADER_KEY = "meridian/controller/leader";
  private static final String ROUTING_PREFIX = "meridian/routing/";

  private final TopologyPlan plan;
  private final HttpClient http;

  ConsulView(TopologyPlan plan) {
    this.plan = plan;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .sslContext(SslContexts.client(Optional.of(TopologyCertificates.authority(plan))))
            .build();
  }

  /** A replica as registered in its region's datacenter. */
  record Replica(String id, String model, String host, int port, boolean passing) {}

  /** Every replica registered in {@code region}, passing or not. */
  List<Replica> replicas(String region) {
    List<Replica> replicas = new ArrayList<>();
    get(region, "/v1/health/service/meridian-replica")
        .map(JsonParser::parseString)
        .ifPresent(
            entries -> {
              for (JsonElement entry : entries.getAsJsonArray()) {
                JsonObject service = entry.getAsJsonObject().getAsJsonObject("Service");
                JsonObject meta = service.getAsJsonObject("Meta");
                boolean passing = true;
                for (JsonElement check : entry.getAsJsonObject().getAsJsonArray("Checks")) {
                  passing &= "passing".equals(check.getAsJsonObject().get("Status").getAsString());
                }
                replicas.add(
                    new Replica(
                        service.get("ID").getAsString(),
                        meta.get(MeridianLayout.META_MODEL).getAsString(),
                        service.get("Address").getAsString(),
                        service.get("Port").getAsInt(),
                        passing));
              }
            });
    return replicas;
  }

  /** The replicas of {@code model} registered in {@code region}. */
  List<Replica> replicas(String region, String model) {
    return replicas(region).stream().filter(replica -> replica.model().equals(model)).toList();
  }

  /** The admin address ({@code host:port}) of the leading controller, if one holds the lock. */
  Optional<String> leader() {
    return get(plan.homeRegion(), "/v1/kv/" + LEADER_KEY + "?raw").map(String::trim);
  }

  /**
   * The state of each region (e.g. {@code REGION_STATE_ACTIVE}) in {@code model}'s routing table as
   * the gateway reads it, in its own region's datacenter; empty when there is no table.
   */
  Map<String, String> regionStates(String model) {
    Map<String, String> states = new LinkedHashMap<>();
    get(plan.homeRegion(), "/v1/kv/" + ROUTING_PREFIX + model + "?raw")
        .map(JsonParser::parseString)
        .ifPresent(
            table -> {
              for (JsonElement route : table.getAsJsonObject().getAsJsonArray("regions")) {
                JsonObject region = route.getAsJsonObject();
                states.put(region.get("region").getAsString(), region.get("state").getAsString());
              }
            });
    return states;
  }

  /** The body of a GET, or empty on 404. */
  private Optional<String> get(String region, String pathAndQuery) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "https://"
                        + plan.consulHost(region)
                        + ":"
                        + plan.consulPort(region)
                        + pathAndQuery))
            .timeout(Duration.ofSeconds(2))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404) {
        return Optional.empty();
      }
      if (response.statusCode() != 200) {
        throw new IOException("GET " + pathAndQuery + ": HTTP " + response.statusCode());
      }
      return Optional.of(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading Consul", e);
    }
  }
}
