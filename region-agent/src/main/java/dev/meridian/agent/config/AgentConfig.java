package dev.meridian.agent.config;

import static dev.meridian.agent.config.AgentSettings.DEREGISTER_CRITICAL_AFTER;
import static dev.meridian.agent.config.AgentSettings.DRAIN_TIMEOUT;
import static dev.meridian.agent.config.AgentSettings.METRICS;
import static dev.meridian.agent.config.AgentSettings.MODE;
import static dev.meridian.agent.config.AgentSettings.MODEL_NAME;
import static dev.meridian.agent.config.AgentSettings.PROBE_INTERVAL;
import static dev.meridian.agent.config.AgentSettings.REGION;
import static dev.meridian.agent.config.AgentSettings.REPLICA_LIMITS;
import static dev.meridian.agent.config.AgentSettings.START_TIMEOUT;
import static dev.meridian.agent.config.AgentSettings.TTL;

import dev.meridian.agent.features.FeatureStoreConfig;
import dev.meridian.core.Durations;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.server.ServerLimits;
import dev.meridian.core.tls.TlsFiles;
import dev.meridian.core.tracing.TracingConfig;
import dev.meridian.registry.ConsulConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a region agent runs by: its region, its Consul, the models it serves, and how it
 * probes, reports, restarts and stops replicas. Immutable; read from YAML by {@link
 * AgentConfigLoader}, and checked, whether read or built in code, by the settings in {@link
 * AgentSettings} and the rules between keys stated here.
 *
 * @param region the region, which is also the Consul datacenter the replicas register in
 * @param consul the local Consul agent
 * @param ttl how long a replica's check result holds in Consul before it goes critical on its own
 * @param deregisterCriticalAfter how long Consul keeps a replica whose check stays critical
 * @param probe how replicas are probed; one probe cycle must fit in {@code ttl}
 * @param restart how replicas are restarted
 * @param mode child processes or in-process servers
 * @param startTimeout how long a replica may take to load its models, listen and warm up
 * @param drainTimeout how long a stopping replica lets in-flight calls finish
 * @param replicaLimits what each replica's gRPC server tolerates from its clients
 * @param replicas the address every replica's gRPC and metrics servers bind, and the address
 *     registered in Consul for them, which the agent's probes and warm-up calls dial too; its port
 *     is unused, each server taking a free one
 * @param replicaReflection whether every replica's gRPC servers serve reflection and channelz
 * @param metrics where the agent's own {@code /metrics} listens
 * @param faultsTokenFile with fault injection on, the file holding its admin token; empty when off
 * @param tls the TLS files of the agent and its replicas; empty for plaintext
 * @param tracing where its replicas export their spans; empty for off
 * @param featureStore where replicas look features up; required when a model has features
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
    ServerLimits replicaLimits,
    ListenAddress replicas,
    boolean replicaReflection,
    ListenAddress metrics,
    Optional<Path> faultsTokenFile,
    Optional<TlsFiles> tls,
    Optional<TracingConfig> tracing,
    Optional<FeatureStoreConfig> featureStore,
    List<ModelConfig> models) {
  /**
   * Checks every value and copies the model list.
   *
   * @throws IllegalArgumentException naming the offending key
   */
  public AgentConfig {
    REGION.check(region);
    Objects.requireNonNull(consul, "consul");
    TTL.check(ttl);
    DEREGISTER_CRITICAL_AFTER.check(deregisterCriticalAfter);
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(restart, "restart");
    MODE.check(mode);
    START_TIMEOUT.check(startTimeout);
    DRAIN_TIMEOUT.check(drainTimeout);
    REPLICA_LIMITS.check(replicaLimits);
    Objects.requireNonNull(replicas, "replicas");
    METRICS.port().check(metrics.port());
    Objects.requireNonNull(faultsTokenFile, "faultsTokenFile");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(tracing, "tracing");
    Objects.requireNonNull(featureStore, "featureStore");
    // Every probe refreshes the TTL; if one cycle can outlast it, a healthy replica flaps critical.
    if (probe.cycle().compareTo(ttl) >= 0) {
      throw PROBE_INTERVAL.invalid(
          probe.interval(),
          "interval + jitter + timeout ("
              + Durations.format(probe.cycle())
              + ") under "
              + TTL.key()
              + " ("
              + Durations.format(ttl)
              + ")");
    }
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("models: [] (expected: a list of at least one model)");
    }
    Set<String> names = new HashSet<>();
    for (ModelConfig model : models) {
      if (!names.add(model.name())) {
        throw MODEL_NAME.invalid(model.name(), "a name no other model has");
      }
      if (model.features().isPresent() && featureStore.isEmpty()) {
        throw FeatureSettings.PRIMARY.invalid(
            null,
            "`feature-store.primary` or `.embedded`, as model " + model.name() + " has features");
      }
    }
  }

  /** Whether the replicas serve fault injection ({@code faults.enabled}). */
  public boolean faultsEnabled() {
    return faultsTokenFile.isPresent();
  }
}
