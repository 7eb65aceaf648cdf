package dev.meridian.deploy.topology;

import dev.meridian.agent.features.FeatureSeed;
import dev.meridian.controller.status.StatusPageHandler;
import dev.meridian.core.tls.SslContexts;
import dev.meridian.core.tls.TlsFiles;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Meridian as local processes, every role its own process on the host its plan's {@link Placement}
 * gives it: the dev Consul (one datacenter per region, in one process on one machine, or one
 * WAN-joined process per region), a region agent per region (whose replicas are child processes
 * again), several failover controllers, and a gateway. Configs, logs and state go in the plan's
 * directory. Starts in dependency order, waits until the gateway is SERVING with every replica
 * warm, and stops in reverse order, leaving nothing running.
 */
public final class LocalTopology implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final String CONSUL = "dev-consul";
  private static final int PROMETHEUS_SCRAPE_SECONDS = 2;
  private static final String READY_REPLICAS = "meridian_gateway_replicas{grade=\"READY\"}";

  private final TopologyPlan plan;
  private final TopologyFiles files;
  private final PrometheusFiles prometheus;
  private final Map<String, Role> roles = new LinkedHashMap<>();
  private final Map<String, ChildProcess> processes = new LinkedHashMap<>();
  private boolean closed;
  private TopologyCertificates certificates;
  private TransportSecurity client = TransportSecurity.plaintext();
  private TransportSecurity dataPathClient = TransportSecurity.plaintext();
  private HttpClient consulHttp;
  private RedisStores redis;

  private LocalTopology(TopologyPlan plan) {
    this.plan = plan;
    this.files = new TopologyFiles(plan);
    this.prometheus = new PrometheusFiles(plan);
  }

  /**
   * Starts the topology and waits until the gateway serves.
   *
   * <p>Until it returns, a JVM shutdown (Ctrl-C, SIGTERM) stops what had started, so no role
   * outlives an interrupted start; once it has returned, stopping is the caller's.
   *
   * @throws IllegalStateException when a role exits or the gateway is not SERVING in time, or the
   *     JVM began to shut down; what had started is stopped again
   */
  public static LocalTopology start(TopologyPlan plan) throws IOException, InterruptedException {
    LocalTopology topology = new LocalTopology(plan);
    Thread stopOnShutdown = new Thread(topology::close, "topology-stop-while-starting");
    Runtime.getRuntime().addShutdownHook(stopOnShutdown);
    try {
      topology.startAll();
    } catch (IOException | InterruptedException | RuntimeException e) {
      topology.close();
      throw e;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnShutdown);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs or has run: the topology stops with the JVM.
    }
    return topology;
  }

  private void startAll() throws IOException, InterruptedException {
    certificates = files.write();
    prometheus.write(PROMETHEUS_SCRAPE_SECONDS);
    consulHttp =
        HttpClient.newBuilder()
            .sslContext(SslContexts.client(Optional.of(consulTls().authority())))
            .build();
    client = TransportSecurity.of(Optional.of(certificates.files(TopologyCertificates.CLI)));
    dataPathClient = plan.plaintextDataPath() ? TransportSecurity.plaintext() : client;
    if (plan.placement().consulPerRegion()) {
      for (String region : plan.regions()) {
        startConsulOf(region);
      }
    } else {
      start(
          CONSUL,
          Placement.consul(plan.homeRegion()),
          "256m",
          "dev-consul",
          "--datacenters",
          String.join(",", plan.regions()),
          "--port",
          String.valueOf(plan.consulPort()),
          "--tls-cert",
          consulTls().certificate().toString(),
          "--tls-key",
          consulTls().key().toString());
    }
    awaitReady(CONSUL, this::consulAnswers);
    Optional<Path> redisServer = RedisStores.server();
    if (redisServer.isPresent()) {
      startFeatureStores(redisServer.get());
    }
    for (String region : plan.regions()) {
      start(
          "agent-" + region,
          region,
          "128m",
          "region-agent",
          "--config",
          files.agentConfig(region).toString());
    }
    for (int i = 0; i < plan.controllers(); i++) {
      start(
          "controller-" + i,
          Placement.CONTROL,
          "192m",
          "controller",
          "--config",
          files.controllerConfig(i).toString());
    }
    start(
        "gateway",
        Placement.GATEWAY,
        "256m",
        "gateway",
        "--config",
        files.gatewayConfig().toString());
    awaitReady("gateway", this::gatewayServes);
    // Up means every replica warmed itself before passing, and the gateway is connected to all of
    // them and has warmed its path to each: the first calls run at steady-state latency.
    awaitReady("every replica warm in the gateway", this::everyReplicaReadyInGateway);
  }

  /**
   * Starts every region's Redis primary and replica, writes the demo entities to each primary with
   * event times of now (as a feature pipeline would on each run) and waits until every replica
   * holds them.
   */
  private void startFeatureStores(Path server) throws IOException, InterruptedException {
    String password =
        Files.readString(plan.featureStorePasswordFile(), StandardCharsets.UTF_8).trim();
    redis = new RedisStores(password);
    List<FeatureSeed.Hash> seed = FeatureSeed.read(files.featureSeed(), Clock.systemUTC());
    String probeKey = seed.get(seed.size() - 1).key();
    for (String region : plan.regions()) {
      String host = plan.regionHost(region);
      int primaryPort = plan.featureStorePort(region, RedisStores.PRIMARY);
      int replicaPort = plan.featureStorePort(region, RedisStores.REPLICA);
      Path primaryDir = storeDirectory(region, RedisStores.PRIMARY);
      Path replicaDir = storeDirectory(region, RedisStores.REPLICA);
      startNative(
          RedisStores.role(region, RedisStores.PRIMARY),
          region,
          RedisStores.command(server, host, primaryPort, primaryDir, password, Optional.empty()));
      startNative(
          RedisStores.role(region, RedisStores.REPLICA),
          region,
          RedisStores.command(
              server,
              host,
              replicaPort,
              replicaDir,
              password,
              Optional.of(host + " " + primaryPort)));
      awaitReady(
          RedisStores.role(region, RedisStores.PRIMARY),
          () -> redis.ready(host, primaryPort, false));
      redis.seed(host, primaryPort, seed);
      awaitReady(
          RedisStores.role(region, RedisStores.REPLICA),
          () -> redis.ready(host, replicaPort, true) && redis.holds(host, replicaPort, probeKey));
    }
  }

  private Path storeDirectory(String region, String tier) throws IOException {
    return Files.createDirectories(
        plan.directory().resolve("state").resolve(RedisStores.role(region, tier)));
  }

  /** Region {@code region}'s datacenter alone, on its own host, WAN-joined to the others. */
  private void startConsulOf(String region) {
    String peers =
        plan.regions().stream()
            .filter(other -> !other.equals(region))
            .map(other -> other + "=" + plan.consulHost(other) + ":" + plan.consulPort(other))
            .collect(Collectors.joining(","));
    start(
        CONSUL + "-" + region,
        Placement.consul(region),
        "128m",
        "dev-consul",
        "--datacenters",
        region,
        "--port",
        String.valueOf(plan.consulPort(region)),
        "--bind",
        plan.consulHost(region),
        "--wan",
        peers,
        "--tls-cert",
        consulTls().certificate().toString(),
        "--tls-key",
        consulTls().key().toString(),
        "--tls-ca",
        consulTls().authority().toString());
  }

  private TlsFiles consulTls() {
    return certificates.files(TopologyCertificates.CONSUL);
  }

  private void start(String name, String host, String heap, String... arguments) {
    Role role = new Role(name, host, heap, List.of(arguments), false);
    roles.put(name, role);
    launch(role);
  }

  /** Starts {@code command}, a program other than Meridian, as role {@code name}. */
  private void startNative(String name, String host, List<String> command) {
    Role role = new Role(name, host, "", command, true);
    roles.put(name, role);
    launch(role);
  }

  /**
   * Starts {@code role}'s process; under the lock {@link #close} takes, so a start racing a stop
   * either ends before the stop or does not begin.
   */
  private synchronized void launch(Role role) {
    if (closed) {
      throw new IllegalStateException("the topology is stopping; not starting " + role.name());
    }
    Path log = plan.logs().resolve(role.name() + ".log");
    processes.put(
        role.name(),
        role.nativeCommand()
            ? ChildProcess.exec(
                role.name(), log, plan.placement().launch(role.host(), role.arguments()))
            : ChildProcess.start(
                role.name(),
                log,
                role.heap(),
                command -> plan.placement().launch(role.host(), command),
                role.arguments().toArray(String[]::new)));
  }

  /**
   * Starts role {@code name} again with the arguments it first had, stopping it first if it still
   * runs, so fault tests can bring back what they killed. The dev Consul starts empty, as a Consul
   * that lost its data would; this waits until it answers again. Other roles are only launched.
   *
   * @throws IllegalStateException when the dev Consul does not answer in time
   */
  public ChildProcess restart(String name) throws InterruptedException {
    process(name).close();
    launch(roles.get(name));
    if (name.startsWith(CONSUL)) {
      awaitReady(CONSUL, this::consulAnswers);
    }
    return process(name);
  }

  private void awaitReady(String what, BooleanSupplier ready) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!ready.getAsBoolean()) {
      for (ChildProcess process : processes.values()) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              process.name() + " exited while starting; see " + process.log());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            what + " not ready after " + READY_TIMEOUT.toSeconds() + " s; see " + plan.logs());
      }
      TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
    }
  }

  private boolean consulAnswers() {
    return plan.regions().stream()
        .allMatch(
            region ->
                get(
                        consulHttp,
                        URI.create(
                            "https://"
                                + plan.consulHost(region)
                                + ":"
                                + plan.consulPort(region)
                                + "/v1/status/leader"))
                    .isPresent());
  }

  private boolean everyReplicaReadyInGateway() {
    int expected = plan.regions().size() * (plan.replicas() + 1);
    return get(
            HttpClient.newHttpClient(),
            URI.create(
                "http://" + plan.gatewayHost() + ":" + plan.gatewayMetricsPort() + "/metrics"))
        .flatMap(
            body ->
                body.lines()
                    .filter(line -> line.startsWith(READY_REPLICAS))
                    .map(line -> line.substring(READY_REPLICAS.length()).trim())
                    .findFirst())
        .map(value -> Double.parseDouble(value) >= expected)
        .orElse(false);
  }

  private static Optional<String> get(HttpClient http, URI uri) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private boolean gatewayServes() {
    ManagedChannel channel = gatewayChannel();
    try {
      return HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(1, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance())
              .getStatus()
          == ServingStatus.SERVING;
    } catch (StatusRuntimeException e) {
      return false;
    } finally {
      channel.shutdownNow();
    }
  }

  /** The topology's certificates, which a test may rotate while it runs. */
  public TopologyCertificates certificates() {
    return certificates;
  }

  /**
   * How a client of the gateway and the replicas connects: with the command line's certificate, as
   * {@code predict} and {@code bench} do, or in plaintext when the plan's data path is.
   */
  public TransportSecurity clientSecurity() {
    return dataPathClient;
  }

  /** A new channel to the gateway, connecting as the command line does. */
  public ManagedChannel gatewayChannel() {
    return dataPathClient.channel(plan.gatewayHost(), plan.gatewayPort(), TlsPeer.GATEWAY).build();
  }

  /** A channel builder for the controller at {@code address} ({@code host:port}). */
  public NettyChannelBuilder controllerChannel(String address) {
    int colon = address.lastIndexOf(':');
    return client.channel(
        address.substring(0, colon),
        Integer.parseInt(address.substring(colon + 1)),
        TlsPeer.CONTROLLER);
  }

  /** The plan the topology runs. */
  public TopologyPlan plan() {
    return plan;
  }

  /** The running role named {@code name}, e.g. {@code agent-us-east} or {@code controller-0}. */
  public ChildProcess process(String name) {
    ChildProcess process = processes.get(name);
    if (process == null) {
      throw new IllegalArgumentException(
          "no role " + name + " (roles: " + processes.keySet() + ")");
    }
    return process;
  }

  /** Where each role listens, for people. */
  public String describe() {
    StringBuilder text = new StringBuilder("Meridian local topology is up (logs in ");
    text.append(plan.logs()).append(").\n");
    text.append("  dev Consul:");
    for (String region : plan.regions()) {
      text.append(" ")
          .append(region)
          .append("=https://")
          .append(plan.consulHost(region))
          .append(':')
          .append(plan.consulPort(region));
    }
    text.append('\n');
    text.append("  feature stores:");
    if (RedisStores.server().isPresent()) {
      for (String region : plan.regions()) {
        text.append(" ")
            .append(region)
            .append("=redis://")
            .append(plan.regionHost(region))
            .append(':')
            .append(plan.featureStorePort(region, RedisStores.PRIMARY))
            .append(" (replica :")
            .append(plan.featureStorePort(region, RedisStores.REPLICA))
            .append(')');
      }
    } else {
      text.append(" embedded in each replica (install redis-server for Redis)");
    }
    text.append('\n');
    for (String region : plan.regions()) {
      text.append("  region agent ")
          .append(region)
          .append(": metrics http://")
          .append(plan.regionHost(region))
          .append(':')
          .append(plan.agentMetricsPort(region))
          .append("/metrics\n");
    }
    for (int i = 0; i < plan.controllers(); i++) {
      text.append("  failover controller ")
          .append(i)
          .append(": admin ")
          .append(plan.controlHost())
          .append(':')
          .append(plan.controllerPort() + i)
          .append(", metrics http://")
          .append(plan.controlHost())
          .append(':')
          .append(plan.controllerMetricsPort(i))
          .append("/metrics, status page http://")
          .append(plan.controlHost())
          .append(':')
          .append(plan.controllerMetricsPort(i))
          .append(StatusPageHandler.PATH)
          .append('\n');
    }
    text.append("  gateway (region ")
        .append(plan.homeRegion())
        .append("): ")
        .append(plan.gatewayAddress())
        .append(plan.plaintextDataPath() ? " in plaintext (so are the replicas)" : "")
        .append(", metrics http://")
        .append(plan.gatewayHost())
        .append(':')
        .append(plan.gatewayMetricsPort())
        .append("/metrics, status page ")
        .append(plan.gatewayStatusPage())
        .append('\n');
    text.append("  Prometheus, finding every process in Consul: prometheus --config.file ")
        .append(prometheus.config())
        .append('\n');
    return text.toString();
  }

  /**
   * How a role is launched, kept so that it can be launched again: a Meridian role's arguments, or
   * a native program's whole command line.
   */
  private record Role(
      String name, String host, String heap, List<String> arguments, boolean nativeCommand) {}

  /** Stops every role in reverse start order. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<ChildProcess> stopOrder = new ArrayList<>(processes.values());
    Collections.reverse(stopOrder);
    stopOrder.forEach(ChildProcess::close);
    client.close();
    if (redis != null) {
      redis.close();
    }
  }
}
