package dev.meridian.controller;

import com.google.gson.JsonParser;
import dev.meridian.core.routing.RoutingTableJson;
import dev.meridian.devconsul.DevConsul;
import dev.meridian.devconsul.DevConsulConfig;
import dev.meridian.devconsul.ManualClock;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.ConsulConfig;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.ReplicaRegistration;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A dev Consul with datacenters {@code eu-west} and {@code us-east} on a manual clock, with one
 * registry per datacenter's agent (replicas register with their local agent, as real ones do).
 */
public final class ConsulFixture implements AutoCloseable {
  public static final String EU = "eu-west";
  public static final String US = "us-east";
  public static final String MODEL = "fraud-score";

  public final ManualClock clock = new ManualClock();
  public final DevConsul consul;
  private final Map<String, ConsulRegistry> agents = new LinkedHashMap<>();

  public ConsulFixture() {
    consul =
        new DevConsul(
                DevConsulConfig.builder()
                    .datacenters(List.of(EU, US))
                    .basePort(0)
                    .clock(clock)
                    .build())
            .start();
    for (String datacenter : List.of(EU, US)) {
      agents.put(datacenter, new ConsulRegistry(config(datacenter)));
    }
  }

  /** How to reach {@code datacenter}'s agent, with short blocking waits. */
  public ConsulConfig config(String datacenter) {
    return ConsulConfig.builder()
        .host("127.0.0.1")
        .port(consul.port(datacenter))
        .maxWait(Duration.ofSeconds(2))
        .build();
  }

  /** The registry talking to {@code datacenter}'s agent. */
  public ConsulRegistry registry(String datacenter) {
    return agents.get(datacenter);
  }

  /** Registers a replica of {@link #MODEL} with capacity 10 in {@code datacenter}, passing. */
  public void replica(String datacenter, String id) {
    replica(datacenter, id, MODEL);
  }

  /** Registers a replica of {@code model} with capacity 10 in {@code datacenter}, passing. */
  public void replica(String datacenter, String id, String model) {
    registry(datacenter)
        .services()
        .register(
            new ReplicaRegistration(
                MeridianLayout.REPLICA_SERVICE,
                id,
                "127.0.0.1",
                7000,
                List.of(model),
                Map.of(
                    "region", datacenter, "model", model, "model-version", "1", "capacity", "10"),
                Duration.ofSeconds(30),
                Duration.ofMinutes(1)));
    pass(datacenter, id);
  }

  /** Reports a replica's check passing, as its agent would. */
  public void pass(String datacenter, String id) {
    registry(datacenter).services().pass("service:" + id, "probe ok");
  }

  /** Reports a replica's check warning (slow, at its limit), as its agent would. */
  public void warn(String datacenter, String id) {
    registry(datacenter).services().warn("service:" + id, "probe slow");
  }

  /** Reports a replica's check critical, as its agent would. */
  public void fail(String datacenter, String id) {
    registry(datacenter).services().fail("service:" + id, "probe failed");
  }

  /** The routing table of {@link #MODEL} in {@code datacenter}'s KV, if any. */
  public Optional<RoutingTable> table(String datacenter) {
    return registry(datacenter)
        .kv()
        .get(MeridianLayout.routingTableKey(MODEL), datacenter, 0)
        .value()
        .map(entry -> RoutingTableJson.decode(entry.value(), entry.key()));
  }

  /** {@code region}'s route in {@code table}. */
  public static RegionRoute route(RoutingTable table, String region) {
    return table.getRegionsList().stream()
        .filter(route -> route.getRegion().equals(region))
        .findFirst()
        .orElseThrow();
  }

  /** The regions the drains document in {@code datacenter}'s KV names; empty if there is none. */
  public List<String> drains(String datacenter) {
    return registry(datacenter)
        .kv()
        .get(MeridianLayout.DRAINS_KEY, datacenter, 0)
        .value()
        .map(
            entry ->
                JsonParser.parseString(entry.value())
                    .getAsJsonObject()
                    .getAsJsonArray("drains")
                    .asList()
                    .stream()
                    .map(drain -> drain.getAsJsonObject().get("region").getAsString())
                    .toList())
        .orElse(List.of());
  }

  /**
   * Deletes every Meridian key in {@code datacenter}'s KV, as losing that datacenter's state does.
   */
  public void loseKv(String datacenter) {
    registry(datacenter).kv().deleteTree("meridian/", datacenter);
  }

  /** Moves the fake clock and fires the timers that became due. */
  public void advance(Duration by) {
    clock.advance(by);
    consul.runTimers();
  }

  @Override
  public void close() {
    agents.values().forEach(ConsulRegistry::close);
    consul.close();
  }
}
