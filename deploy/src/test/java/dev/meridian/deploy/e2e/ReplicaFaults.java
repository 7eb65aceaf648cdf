package dev.meridian.deploy.e2e;

import dev.meridian.core.config.ConfigNode;
import dev.meridian.deploy.gameday.InjectedReplicaFaults;
import dev.meridian.deploy.gameday.ReplicaProcesses;
import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.deploy.topology.TopologyPlan;
import dev.meridian.registry.ConsulConfig;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.ConsulServices;
import io.grpc.Metadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Breaks model replicas the ways the issue names: SIGKILL and SIGSTOP/SIGCONT on their processes
 * (children of the region's agent), and the replicas' own FaultInjection RPC for added latency and
 * failures ({@link InjectedReplicaFaults}, as {@code meridian gameday} sets them), with the
 * topology's faults token. Processes are found by the replica ID in their command line (Linux:
 * /proc).
 */
final class ReplicaFaults {
  private final LocalTopology topology;

  ReplicaFaults(LocalTopology topology) {
    this.topology = topology;
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
    withServices(
        (services, token) ->
            InjectedReplicaFaults.slowed(
                    services, region, model, topology.clientSecurity(), token, latency)
                .inject());
  }

  /**
   * Makes every Predict fail with UNAVAILABLE on every replica of {@code model} in {@code region}.
   */
  void fail(String region, String model) {
    withServices(
        (services, token) ->
            InjectedReplicaFaults.failing(services, region, model, topology.clientSecurity(), token)
                .inject());
  }

  /** Removes every injected fault from the replicas of {@code model} in {@code region}. */
  void clear(String region, String model) {
    withServices(
        (services, token) ->
            InjectedReplicaFaults.failing(services, region, model, topology.clientSecurity(), token)
                .heal());
  }

  /** Runs {@code action} with the topology's Consul, as the gateway's file names it. */
  private void withServices(BiConsumer<ConsulServices, Metadata> action) {
    ConsulConfig config =
        ConsulConfig.fromConfig(
            ConfigNode.load(TopologyPlan.gatewayConfig(topology.plan().directory()))
                .child("consul"),
            System::getenv);
    try (ConsulRegistry registry = new ConsulRegistry(config)) {
      action.accept(
          registry.services(), InjectedReplicaFaults.bearer(topology.plan().faultsTokenFile()));
    }
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
