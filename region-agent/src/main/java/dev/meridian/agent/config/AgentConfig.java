package dev.meridian.agent.config;

import dev.meridian.registry.ConsulConfig;
import java.time.Duration;
import java.util.List;

/**
 * Everything a region agent runs by: its region, its Consul, the models it serves, and how it
 * probes, reports, restarts and stops replicas. Immutable; read and validated from YAML by {@link
 * AgentConfigLoader}, which names the offending key of any bad value.
 *
 * @param region the region, which is also the Consul datacenter the replicas register in
 * @param consul the local Consul agent
 * @param ttl how long a replica's check result holds in Consul before it goes critical on its own
 * @param deregisterCriticalAfter how long Consul keeps a replica whose check stays critical
 * @param probe how replicas are probed
 * @param restart how replicas are restarted
 * @param mode child processes or in-process servers
 * @param startTimeout how long a replica may take to load its models, listen and warm up
 * @param drainTimeout how long a stopping replica lets in-flight calls finish
 * @param metricsHost the address the agent's {@code /metrics} endpoint binds
 * @param metricsPort its port; 0 picks a free one
 * @param faultsEnabled whether the replicas accept fault-injection calls
 * @param models the models served, at least one, with distinct names
 */
public record AgentConfig(
    String region,
    ConsulConfig consul,
    Duration ttl,
    Duration deregisterCriticalAfter,
    ProbeConfig probe,
    RestartConfig restart,
    ReplicaMode mode,
    Duration startTimeout,
    Duration drainTimeout,
    String metricsHost,
    int metricsPort,
    boolean faultsEnabled,
    List<ModelConfig> models) {
  /** Copies the model list. */
  public AgentConfig {
    models = List.copyOf(models);
  }
}
