package dev.meridian.deploy.gameday;

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
   * Faults for the replicas of {@code model} in {@code region}.
   *
   * @param token the {@code authorization} header the replicas' fault service asks for
   * @param description what {@code faults} do, for the report
   */
  public InjectedReplicaFaults(
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
