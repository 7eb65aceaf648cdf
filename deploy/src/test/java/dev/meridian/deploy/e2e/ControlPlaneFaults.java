package dev.meridian.deploy.e2e;

import dev.meridian.controller.admin.Role;
import dev.meridian.controller.status.StatusPageHandler;
import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.deploy.topology.TopologyPlan;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.DrainRegionResponse;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import dev.meridian.proto.admin.v1.UndrainRegionRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Acts on the control plane: drains and undrains regions through the leading controller's admin RPC
 * (with the operators' bearer token), kills the leader, and kills the dev Consul.
 */
final class ControlPlaneFaults {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final LocalTopology topology;
  private final ConsulView consul;

  ControlPlaneFaults(LocalTopology topology, ConsulView consul) {
    this.topology = topology;
    this.consul = consul;
  }

  /** Drains {@code region} for every model. */
  DrainRegionResponse drain(String region) {
    return withAdmin(admin -> admin.drainRegion(drainOf(region).build()));
  }

  /**
   * Asks what draining {@code region} would do, changing nothing.
   *
   * @throws io.grpc.StatusRuntimeException when the controller refuses it
   */
  DrainRegionResponse dryRunDrain(String region) {
    return withAdmin(admin -> admin.drainRegion(drainOf(region).setDryRun(true).build()));
  }

  private static DrainRegionRequest.Builder drainOf(String region) {
    return DrainRegionRequest.newBuilder().setRegion(region).setReason("e2e fault test");
  }

  /** Returns {@code region} to service. */
  void undrain(String region) {
    withAdmin(
        admin ->
            admin.undrainRegion(
                UndrainRegionRequest.newBuilder()
                    .setRegion(region)
                    .setReason("e2e fault test over")
                    .build()));
  }

  /** Kills (SIGKILL) the leading controller; returns its role name, e.g. {@code controller-0}. */
  String killLeader() {
    String role = "controller-" + (leaderPort() - topology.plan().controllerPort());
    topology.process(role).kill();
    return role;
  }

  /** Kills (SIGKILL) the dev Consul, which holds its state in memory only. */
  void killConsul() {
    topology.process("dev-consul").kill();
  }

  /** The leading controller's status page, on its metrics port. */
  URI leaderStatusPage() {
    int controller = leaderPort() - topology.plan().controllerPort();
    return URI.create(
        "http://"
            + topology.plan().controlHost()
            + ":"
            + topology.plan().controllerMetricsPort(controller)
            + StatusPageHandler.PATH);
  }

  /** The leading controller's status page, read as a plain HTTP client would. */
  String statusPage() throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(leaderStatusPage()).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private int leaderPort() {
    String leader = leader();
    return Integer.parseInt(leader.substring(leader.lastIndexOf(':') + 1));
  }

  /** The leader's advertised admin address, {@code host:port}. */
  private String leader() {
    return consul.leader().orElseThrow(() -> new IllegalStateException("no controller leads"));
  }

  private <T> T withAdmin(Function<RegionAdminGrpc.RegionAdminBlockingStub, T> call) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token(topology.plan()));
    ManagedChannel channel =
        topology
            .controllerChannel(leader())
            .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
            .build();
    try {
      return call.apply(
          RegionAdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS));
    } finally {
      channel.shutdownNow();
    }
  }

  private static String token(TopologyPlan plan) {
    try {
      return Files.readString(plan.tokenFile(Role.OPERATOR)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
