package dev.meridian.deploy.topology;

import dev.meridian.controller.admin.Role;
import dev.meridian.core.tracing.TracingConfig;
import dev.meridian.gateway.status.GatewayStatusHandler;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The shape and the ports of a local topology, with every port derived from a few bases so that the
 * README can say where things listen: dev Consul datacenter {@code i} on {@code consulPort + i},
 * controller {@code c}'s admin RPC on {@code controllerPort + c}, the gateway on {@code
 * gatewayPort}; metrics ports follow {@code metricsPort}, then the feature stores' ports.
 *
 * @param directory where configs, models, logs and state go
 * @param regions the regions, one dev Consul datacenter each; the first is the gateway's and the
 *     controllers' control datacenter
 * @param replicas replicas of the main model per region
 * @param replicaCapacity calls each replica of the main model runs at once
 * @param controllers failover controller instances (one leads)
 * @param consulPort the first datacenter's dev Consul port
 * @param controllerPort the first controller's admin port
 * @param gatewayPort the gateway's port
 * @param metricsPort the first metrics port
 * @param placement where each role runs
 * @param faults whether the replicas serve FaultInjection, behind the token in {@link
 *     #faultsTokenFile()}: on for the tests' topologies, off for the demo unless asked
 * @param tracing where the gateway and the replicas export their spans; empty for off
 * @param plaintextDataPath whether {@code Predict} travels without TLS: the gateway's listener, its
 *     channels to the replicas and the replicas' ports (the control plane keeps TLS); for comparing
 *     the gateway with plaintext proxies, off otherwise
 */
public record TopologyPlan(
    Path directory,
    List<String> regions,
    int replicas,
    int replicaCapacity,
    int controllers,
    int consulPort,
    int controllerPort,
    int gatewayPort,
    int metricsPort,
    Placement placement,
    boolean faults,
    Optional<TracingConfig> tracing,
    boolean plaintextDataPath) {

  /**
   * Calls a replica of the main model runs at once unless the plan says otherwise: far more than a
   * laptop's load keeps in flight, and few enough that slowed replicas fill it (the
   * capacity-checked drain scenario).
   */
  public static final int DEFAULT_REPLICA_CAPACITY = 64;

  /** Validates the plan; errors name the option. */
  public TopologyPlan {
    regions = List.copyOf(regions);
    Objects.requireNonNull(tracing, "tracing");
    if (regions.size() < 2 || regions.stream().distinct().count() != regions.size()) {
      throw new IllegalArgumentException(
          "--regions: " + regions + " (expected: at least two distinct regions)");
    }
    if (replicas < 1 || replicas > 8) {
      throw new IllegalArgumentException("--replicas: " + replicas + " (expected: 1..8)");
    }
    if (replicaCapacity < 1 || replicaCapacity > 10_000) {
      throw new IllegalArgumentException(
          "--replica-capacity: " + replicaCapacity + " (expected: 1..10000)");
    }
    if (controllers < 1 || controllers > 5) {
      throw new IllegalArgumentException("--controllers: " + controllers + " (expected: 1..5)");
    }
  }

  /** The gateway's (and the control) region. */
  public String homeRegion() {
    return regions.get(0);
  }

  /** The address of {@code region}'s Consul datacenter. */
  public String consulHost(String region) {
    return placement.address(Placement.consul(region));
  }

  /** The address of {@code region}'s agent and replicas. */
  public String regionHost(String region) {
    return placement.address(region);
  }

  /** The address of the failover controllers. */
  public String controlHost() {
    return placement.address(Placement.CONTROL);
  }

  /** The address of the gateway. */
  public String gatewayHost() {
    return placement.address(Placement.GATEWAY);
  }

  /** {@code host:port} of the gateway. */
  public String gatewayAddress() {
    return gatewayHost() + ":" + gatewayPort;
  }

  /** The dev Consul port of {@code region}'s datacenter. */
  public int consulPort(String region) {
    return consulPort + regions.indexOf(region);
  }

  /** Metrics port of the agent of {@code region}. */
  public int agentMetricsPort(String region) {
    return metricsPort + regions.indexOf(region);
  }

  /** Metrics port of controller {@code index}. */
  public int controllerMetricsPort(int index) {
    return metricsPort + regions.size() + index;
  }

  /** Metrics port of the gateway. */
  public int gatewayMetricsPort() {
    return metricsPort + regions.size() + controllers;
  }

  /** The gateway's status page, on its metrics port. */
  public URI gatewayStatusPage() {
    return URI.create(
        "http://" + gatewayHost() + ":" + gatewayMetricsPort() + GatewayStatusHandler.PATH);
  }

  /**
   * The port of {@code region}'s feature store {@code tier} ({@code primary} or {@code replica}),
   * after the gateway's metrics port: two per region.
   */
  public int featureStorePort(String region, String tier) {
    return gatewayMetricsPort()
        + 1
        + 2 * regions.indexOf(region)
        + (tier.equals(RedisStores.REPLICA) ? 1 : 0);
  }

  /** The file that holds the feature stores' password, every region's Redis sharing it. */
  public Path featureStorePasswordFile() {
    return directory.resolve("tokens").resolve("feature-store");
  }

  /** The file that holds the bearer token of the demo operator with {@code role}. */
  public Path tokenFile(Role role) {
    return tokenFile(directory, role);
  }

  /** The token file of the demo operator with {@code role} of a topology in {@code directory}. */
  public static Path tokenFile(Path directory, Role role) {
    return directory.resolve("tokens").resolve(role.label());
  }

  /** The controllers' operators file. */
  public Path operatorsFile() {
    return directory.resolve("config").resolve("operators.yaml");
  }

  /** The file that holds the replicas' fault-injection admin token, when {@link #faults()}. */
  public Path faultsTokenFile() {
    return faultsTokenFile(directory);
  }

  /** Where the roles' config files of the topology in {@code directory} are. */
  public static Path configDirectory(Path directory) {
    return directory.resolve("config");
  }

  /** The gateway's config file of the topology in {@code directory}. */
  public static Path gatewayConfig(Path directory) {
    return configDirectory(directory).resolve("gateway.yaml");
  }

  /** The replicas' fault-injection token of the topology in {@code directory}. */
  public static Path faultsTokenFile(Path directory) {
    return directory.resolve("faults-token");
  }

  /** The directory of the logs. */
  public Path logs() {
    return directory.resolve("logs");
  }
}
