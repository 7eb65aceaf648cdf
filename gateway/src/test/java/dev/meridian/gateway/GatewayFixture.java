package dev.meridian.gateway;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.routing.RoutingTableJson;
import dev.meridian.core.tls.CertificateAuthority;
import dev.meridian.core.tls.TlsFiles;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.core.tracing.Tracing;
import dev.meridian.devconsul.DevConsul;
import dev.meridian.devconsul.DevConsulConfig;
import dev.meridian.gateway.call.ModelPolicy;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.ConsulConfig;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.ReplicaRegistration;
import io.grpc.ManagedChannel;
import io.grpc.TlsServerCredentials.ClientAuth;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A gateway over real sockets: a dev Consul with datacenters {@code eu-west} and {@code us-east},
 * scripted replicas registered there, routing tables written to KV, and a client channel; in
 * plaintext, or with TLS on both hops (certificates of a throwaway authority, replicas and the
 * gateway requiring client certificates).
 */
final class GatewayFixture implements AutoCloseable {
  static final String EU = "eu-west";
  static final String US = "us-east";
  static final String MODEL = "fraud-score";

  final DevConsul consul;
  final ConsulRegistry registry;
  final MetricRegistry metrics = new MetricRegistry();
  private final List<ScriptedReplica> replicas = new ArrayList<>();
  private final List<ConsulRegistry> closeables = new ArrayList<>();
  private long tableVersion;
  private final Optional<TlsFiles> gatewayTls;
  private final TransportSecurity replicaSecurity;
  private final TransportSecurity clientSecurity;
  GatewayServer gateway;
  ManagedChannel channel;

  /** A plaintext fixture. */
  GatewayFixture() {
    this(Optional.empty());
  }

  /** A fixture with TLS on both hops, its certificates written under {@code tlsDirectory}. */
  GatewayFixture(Path tlsDirectory) {
    this(Optional.of(tlsDirectory));
  }

  private GatewayFixture(Optional<Path> tlsDirectory) {
    Optional<CertificateAuthority> authority =
        tlsDirectory.map(dir -> CertificateAuthority.create("gateway-test-ca", Duration.ofDays(1)));
    gatewayTls = authority.map(ca -> issue(ca, tlsDirectory.get(), "gateway", TlsPeer.GATEWAY));
    replicaSecurity =
        TransportSecurity.of(
            authority.map(ca -> issue(ca, tlsDirectory.get(), "replica", TlsPeer.REPLICA)));
    clientSecurity =
        TransportSecurity.of(authority.map(ca -> issue(ca, tlsDirectory.get(), "client", null)));
    consul =
        new DevConsul(DevConsulConfig.builder().datacenters(List.of(EU, US)).basePort(0).build())
            .start();
    registry = new ConsulRegistry(consulConfig());
  }

  private static TlsFiles issue(
      CertificateAuthority authority, Path directory, String name, TlsPeer role) {
    TlsFiles files = TlsFiles.in(directory, name, Duration.ofMinutes(1));
    authority.writeCertificate(files.authority());
    authority
        .issue(
            name,
            List.of(role == null ? "meridian-test-client" : role.serverName()),
            Duration.ofDays(1))
        .write(files.certificate(), files.key());
    return files;
  }

  ConsulConfig consulConfig() {
    return ConsulConfig.builder().port(consul.port(EU)).maxWait(Duration.ofSeconds(2)).build();
  }

  /** Starts a replica serving {@code models}, registered and passing in {@code region}. */
  ScriptedReplica replica(String region, String... models) {
    return replica(region, MeridianLayout.PROTOCOL_MERIDIAN, models);
  }

  /**
   * Starts a replica serving {@code models}, registered and passing in {@code region} as one to
   * call through the Open Inference Protocol, like an external model server.
   */
  ScriptedReplica oipReplica(String region, String... models) {
    return replica(region, MeridianLayout.PROTOCOL_OIP, models);
  }

  private ScriptedReplica replica(String region, String protocol, String... models) {
    ScriptedReplica replica =
        new ScriptedReplica(region, region + "-" + replicas.size(), replicaSecurity);
    replicas.add(replica);
    ReplicaRegistration registration =
        new ReplicaRegistration(
            MeridianLayout.REPLICA_SERVICE,
            replica.id,
            "127.0.0.1",
            replica.port(),
            List.of(models),
            Map.of(
                MeridianLayout.META_REGION,
                region,
                MeridianLayout.META_MODEL,
                models[0],
                MeridianLayout.META_PROTOCOL,
                protocol),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10));
    ConsulRegistry regional =
        new ConsulRegistry(
            ConsulConfig.builder()
                .port(consul.port(region))
                .maxWait(Duration.ofSeconds(2))
                .build());
    closeables.add(regional);
    regional.services().register(registration);
    regional.services().pass(registration.checkId(), "scripted");
    return replica;
  }

  /** Writes {@code model}'s routing table with the given weights into every datacenter. */
  void table(String model, int euWeight, int usWeight) {
    RoutingTable table =
        RoutingTable.newBuilder()
            .setModelName(model)
            .setVersion(++tableVersion)
            .addRegions(route(EU, euWeight))
            .addRegions(route(US, usWeight))
            .build();
    for (String dc : List.of(EU, US)) {
      registry.kv().put(MeridianLayout.routingTableKey(model), RoutingTableJson.encode(table), dc);
    }
  }

  private static RegionRoute route(String region, int weight) {
    return RegionRoute.newBuilder()
        .setRegion(region)
        .setWeight(weight)
        .setState(weight > 0 ? RegionState.REGION_STATE_ACTIVE : RegionState.REGION_STATE_DRAINED)
        .build();
  }

  /** Starts the gateway in {@code eu-west}, with {@code tune} applied to the config. */
  GatewayServer startGateway(Path lastKnownGood, UnaryOperator<GatewayConfig.Builder> tune) {
    return startGateway(lastKnownGood, tune, Tracing.off());
  }

  /** Starts the gateway in {@code eu-west}, tracing with {@code tracing}. */
  GatewayServer startGateway(
      Path lastKnownGood, UnaryOperator<GatewayConfig.Builder> tune, Tracing tracing) {
    GatewayConfig.Builder config =
        GatewayConfig.builder()
            .region(EU)
            .regions(List.of(EU, US))
            .port(0)
            .metrics(new ListenAddress(ListenAddress.DEFAULT_HOST, 0, ListenAddress.DEFAULT_HOST))
            .consul(consulConfig())
            .lastKnownGoodFile(lastKnownGood)
            .drainPeriod(Duration.ZERO)
            // Scripted replicas count every call they get; the warm-up has a test of its own.
            .warmUpRequests(0)
            .policies(PolicyConfig.defaults())
            .model(ModelPolicy.plain(MODEL))
            .tls(gatewayTls)
            .clientAuth(ClientAuth.REQUIRE);
    gateway = GatewayServer.start(tune.apply(config).build(), metrics, tracing);
    channel = clientSecurity.channel("127.0.0.1", gateway.port(), TlsPeer.GATEWAY).build();
    return gateway;
  }

  ServingStatus health() {
    return HealthGrpc.newBlockingStub(channel)
        .check(HealthCheckRequest.getDefaultInstance())
        .getStatus();
  }

  InferenceGrpc.InferenceBlockingStub stub() {
    return InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  static PredictRequest request(String model) {
    return PredictRequest.newBuilder()
        .setModelName(model)
        .addInputs(
            Tensor.newBuilder()
                .setName("features")
                .setDatatype(DataType.DATA_TYPE_FP32)
                .addShape(1)
                .addShape(2)
                .setContents(TensorContents.newBuilder().addFp32Contents(1).addFp32Contents(2)))
        .build();
  }

  /** Whether the gateway has seen {@code count} healthy replicas of the model in total. */
  boolean seesReplicas(int count) {
    return gateway.routingState().allReplicas().values().stream().mapToInt(List::size).sum()
        == count;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (gateway != null) {
      gateway.close();
    }
    for (ScriptedReplica replica : replicas) {
      replica.close();
    }
    closeables.forEach(ConsulRegistry::close);
    registry.close();
    consul.close();
    replicaSecurity.close();
    clientSecurity.close();
  }
}
