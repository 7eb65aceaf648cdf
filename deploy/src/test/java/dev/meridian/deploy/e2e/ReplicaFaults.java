package dev.meridian.deploy.e2e;

import com.google.protobuf.util.Durations;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.deploy.gameday.ReplicaProcesses;
import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.proto.agent.v1.ClearFaultsRequest;
import dev.meridian.proto.agent.v1.FaultInjectionGrpc;
import dev.meridian.proto.agent.v1.SetFaultsRequest;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Breaks model replicas the ways the issue names: SIGKILL and SIGSTOP/SIGCONT on their processes
 * (children of the region's agent), and the replicas' own FaultInjection RPC for added latency and
 * failures, called on the port each replica's Consul metadata names with the topology's faults
 * token. Replicas are found in the region's Consul datacenter, processes by the replica ID in their
 * command line (Linux: /proc).
 */
final class ReplicaFaults {
  private final LocalTopology topology;
  private final ConsulView consul;

  ReplicaFaults(LocalTopology topology, ConsulView consul) {
    this.topology = topology;
    this.consul = consul;
  }

  /** Kills (SIGKILL) every replica process of {@code region}; returns the processes it killed. */
  List<ProcessHandle> killAll(String region) {
    List<ProcessHandle> replicas = replicaProcesses(region);
    replicas.forEach(ProcessHandle::destroyForcibly);
    return replicas;
  }

  /**
   * Whether the agent of {@code region} runs as many replicas as before, none of them {@code gone}.
   */
  boolean replaced(String region, List<ProcessHandle> gone) {
    List<ProcessHandle> now = replicaProcesses(region);
    return now.size() == gone.size() && now.stream().noneMatch(gone::contains);
  }

  /** Freezes replica {@code replicaId} of {@code region} with SIGSTOP: alive, but silent. */
  void freeze(String region, String replicaId) {
    Signals.send("-STOP", pid(region, replicaId));
  }

  /** Lets a frozen replica run again (SIGCONT). */
  void resume(String region, String replicaId) {
    Signals.send("-CONT", pid(region, replicaId));
  }

  /** Adds {@code latency} to every Predict on every replica of {@code model} in {@code region}. */
  void slow(String region, String model, Duration latency) {
    forEachReplica(
        region,
        model,
        faults ->
            faults.setFaults(
                SetFaultsRequest.newBuilder()
                    .setAddedLatency(Durations.fromNanos(latency.toNanos()))
                    .build()));
  }

  /**
   * Makes every Predict fail with UNAVAILABLE on every replica of {@code model} in {@code region}.
   */
  void fail(String region, String model) {
    forEachReplica(
        region,
        model,
        faults ->
            faults.setFaults(
                SetFaultsRequest.newBuilder()
                    .setFailureFraction(1)
                    .setFailureCode("UNAVAILABLE")
                    .build()));
  }

  /** Removes every injected fault from the replicas of {@code model} in {@code region}. */
  void clear(String region, String model) {
    forEachReplica(
        region, model, faults -> faults.clearFaults(ClearFaultsRequest.getDefaultInstance()));
  }

  private void forEachReplica(
      String region, String model, Consumer<FaultInjectionGrpc.FaultInjectionBlockingStub> action) {
    Metadata token = bearer(topology.plan().faultsTokenFile());
    for (ConsulView.Replica replica : consul.replicas(region, model)) {
      if (replica.faultsPort() == 0) {
        throw new IllegalStateException("replica " + replica.id() + " serves no FaultInjection");
      }
      ManagedChannel channel =
          topology
              .clientSecurity()
              .channel(replica.host(), replica.faultsPort(), TlsPeer.REPLICA)
              .build();
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

  /** The {@code authorization: Bearer} header of the token in {@code file}. */
  private static Metadata bearer(Path file) {
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

  private ProcessHandle agent(String region) {
    long pid = topology.process("agent-" + region).pid();
    return ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException("agent of " + region + " is not running"));
  }

  private long pid(String region, String replicaId) {
    return ReplicaProcesses.among(agent(region).children(), Map.of("replicaId", replicaId)).stream()
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no process for replica " + replicaId))
        .pid();
  }

  /** The replica processes the agent of {@code region} runs now. */
  List<ProcessHandle> replicaProcesses(String region) {
    return ReplicaProcesses.among(agent(region).children(), Map.of());
  }
}
