package dev.meridian.deploy.e2e;

import dev.meridian.core.tls.CertificateAuthority;
import dev.meridian.core.tls.TlsFiles;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.deploy.topology.TopologyCertificates;
import dev.meridian.deploy.topology.TopologyPlan;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Calls every gRPC port of a running topology (the gateway, each controller's admin server, each
 * replica) as three callers: one in plaintext, one presenting a certificate from an authority the
 * topology does not trust, and the command line's own identity, which must be served (else the
 * first two prove nothing).
 */
final class TransportChecks {
  /** How a caller connects. */
  enum Caller {
    PLAINTEXT,
    UNTRUSTED_CERTIFICATE,
    TRUSTED_CERTIFICATE
  }

  /** A gRPC port of the topology. */
  record Endpoint(String name, String host, int port, TlsPeer peer) {}

  private final LocalTopology topology;
  private final ConsulView consul;
  private final Path scratch;

  TransportChecks(LocalTopology topology, ConsulView consul) throws IOException {
    this.topology = topology;
    this.consul = consul;
    this.scratch = Files.createTempDirectory(topology.plan().directory(), "untrusted-");
  }

  /** Every gRPC port: gateway, controllers, every registered replica. */
  List<Endpoint> endpoints() {
    TopologyPlan plan = topology.plan();
    List<Endpoint> endpoints = new ArrayList<>();
    endpoints.add(new Endpoint("gateway", plan.gatewayHost(), plan.gatewayPort(), TlsPeer.GATEWAY));
    for (int i = 0; i < plan.controllers(); i++) {
      endpoints.add(
          new Endpoint(
              "controller-" + i,
              plan.controlHost(),
              plan.controllerPort() + i,
              TlsPeer.CONTROLLER));
    }
    for (String region : plan.regions()) {
      for (ConsulView.Replica replica : consul.replicas(region)) {
        endpoints.add(new Endpoint(replica.id(), replica.host(), replica.port(), TlsPeer.REPLICA));
      }
    }
    return endpoints;
  }

  /** What each caller got from a health check of each endpoint. */
  Map<String, Map<Caller, Status.Code>> check() {
    CertificateAuthority stranger = CertificateAuthority.create("stranger-ca", Duration.ofDays(1));
    TlsFiles trusted = topology.certificates().files(TopologyCertificates.CLI);
    TlsFiles untrusted =
        new TlsFiles(
            scratch.resolve("stranger.crt"),
            scratch.resolve("stranger.key"),
            // It trusts the topology, so that only the servers' verdict on it counts.
            trusted.authority(),
            trusted.refresh());
    stranger
        .issue(
            "meridian-cli",
            List.of(
                TlsPeer.GATEWAY.serverName(),
                TlsPeer.REPLICA.serverName(),
                TlsPeer.CONTROLLER.serverName()),
            Duration.ofDays(1))
        .write(untrusted.certificate(), untrusted.key());
    Map<String, Map<Caller, Status.Code>> outcomes = new LinkedHashMap<>();
    try (TransportSecurity strangerSecurity = TransportSecurity.of(Optional.of(untrusted))) {
      for (Endpoint endpoint : endpoints()) {
        Map<Caller, Status.Code> byCaller = new LinkedHashMap<>();
        byCaller.put(
            Caller.PLAINTEXT,
            call(NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port()).usePlaintext()));
        byCaller.put(
            Caller.UNTRUSTED_CERTIFICATE,
            call(strangerSecurity.channel(endpoint.host(), endpoint.port(), endpoint.peer())));
        byCaller.put(
            Caller.TRUSTED_CERTIFICATE,
            call(
                topology
                    .clientSecurity()
                    .channel(endpoint.host(), endpoint.port(), endpoint.peer())));
        outcomes.put(endpoint.name(), byCaller);
      }
    }
    return outcomes;
  }

  private static Status.Code call(NettyChannelBuilder builder) {
    ManagedChannel channel = builder.build();
    try {
      HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    } finally {
      channel.shutdownNow();
    }
  }
}
