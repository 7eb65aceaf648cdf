package dev.meridian.deploy.gameday;

import com.google.protobuf.util.Durations;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.proto.agent.v1.ClearFaultsRequest;
import dev.meridian.proto.agent.v1.FaultInjectionGrpc;
import dev.meridian.proto.agent.v1.SetFaultsRequest;
import dev.meridian.registry.ConsulServices;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.ServiceInstance;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Faults set on every replica of a model in a region through the replicas' own {@code
 * FaultInjection} service (added latency, failures), found in the region's Consul datacenter by the
 * port their registration names, and cleared on heal. Works wherever the replicas serve fault
 * injection (a demo started with {@code --faults}, a deployment with {@code faults.enabled}).
 */
public final class InjectedReplicaFaults implements Fault {
  private final ConsulServices services;
  private final String region;
  private final String model;
  private final TransportSecurity security;
  private final Metadata token;
  private final SetFaultsRequest faults;
  private final String description;

  /**
   * Every replica of {@code model} in {@code region} answers UNAVAILABLE.
   *
   * @param token the {@code authorization} header the replicas' fault service asks for ({@link
   *     #bearer})
   */
  public static InjectedReplicaFaults failing(
      ConsulServices services,
      String region,
      String model,
      TransportSecurity security,
      Metadata token) {
    return new InjectedReplicaFaults(
        services,
        region,
        model,
        security,
        token,
        SetFaultsRequest.newBuilder().setFailureFraction(1).setFailureCode("UNAVAILABLE").build(),
        "answers UNAVAILABLE");
  }

  /**
   * Every replica of {@code model} in {@code region} answers {@code latency} late.
   *
   * @param token the {@code authorization} header the replicas' fault service asks for ({@link
   *     #bearer})
   */
  public static InjectedReplicaFaults slowed(
      ConsulServices services,
      String region,
      String model,
      TransportSecurity security,
      Metadata token,
      Duration latency) {
    return new InjectedReplicaFaults(
        services,
        region,
        model,
        security,
        token,
        SetFaultsRequest.newBuilder()
            .setAddedLatency(Durations.fromNanos(latency.toNanos()))
            .build(),
        "answers " + latency.toMillis() + " ms late");
  }

  /**
   * The {@code authorization: Bearer} header of the replicas' fault-injection token in {@code
   * file}.
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public static Metadata bearer(Path file) {
    Metadata headers = new Metadata();
    try {
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the faults token " + file, e);
    }
    return headers;
  }

  private InjectedReplicaFaults(
      ConsulServices services,
      String region,
      String model,
      TransportSecurity security,
      Metadata token,
      SetFaultsRequest faults,
      String description) {
    this.services = services;
    this.region = region;
    this.model = model;
    this.security = security;
    this.token = token;
    this.faults = faults;
    this.description = description;
  }

  @Override
  public String describe() {
    return "every " + model + " replica of " + region + " " + description;
  }

  @Override
  public Target target() {
    return new Target(region);
  }

  @Override
  public void inject() {
    forEachReplica(service -> service.setFaults(faults));
  }

  /** Clears every fault of the replicas, whichever was set. */
  @Override
  public void heal() {
    forEachReplica(service -> service.clearFaults(ClearFaultsRequest.getDefaultInstance()));
  }

  private void forEachReplica(Consumer<FaultInjectionGrpc.FaultInjectionBlockingStub> action) {
    List<ServiceInstance> replicas =
        services.all(MeridianLayout.REPLICA_SERVICE, region, 0).value().stream()
            .filter(replica -> model.equals(replica.meta().get(MeridianLayout.META_MODEL)))
            .toList();
    if (replicas.isEmpty()) {
      throw new IllegalStateException("no replica of " + model + " is registered in " + region);
    }
    for (ServiceInstance replica : replicas) {
      int port =
          Integer.parseInt(replica.meta().getOrDefault(MeridianLayout.META_FAULTS_PORT, "0"));
      if (port == 0) {
        throw new IllegalStateException(
            "replica "
                + replica.id()
                + " serves no FaultInjection (start the demo with --faults, or set"
                + " faults.enabled in the agent's file)");
      }
      ManagedChannel channel = security.channel(replica.address(), port, TlsPeer.REPLICA).build();
      try {
        action.accept(
            FaultInjectionGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS));
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
