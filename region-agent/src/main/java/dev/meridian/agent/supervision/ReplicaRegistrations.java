package dev.meridian.agent.supervision;

import dev.meridian.agent.launch.ReplicaReady;
import dev.meridian.agent.launch.ReplicaSpec;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.ReplicaProtocol;
import dev.meridian.registry.ReplicaRegistration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the Consul registration of a running replica in Meridian's layout, at its advertised host
 * and the port it bound.
 */
final class ReplicaRegistrations {
  private ReplicaRegistrations() {}

  static ReplicaRegistration of(
      ReplicaSpec spec,
      ReplicaReady ready,
      ReplicaProtocol protocol,
      Duration ttl,
      Duration deregisterCriticalAfter) {
    Map<String, String> meta = new TreeMap<>();
    meta.put(MeridianLayout.META_REGION, spec.region());
    meta.put(MeridianLayout.META_MODEL, spec.modelName());
    meta.put(MeridianLayout.META_MODEL_VERSION, spec.modelVersion());
    meta.put(MeridianLayout.META_CAPACITY, Integer.toString(spec.maxConcurrentCalls()));
    meta.put(MeridianLayout.META_PROTOCOL, protocol.metaValue());
    if (ready.metricsPort() > 0) {
      meta.put(MeridianLayout.META_METRICS_PORT, Integer.toString(ready.metricsPort()));
    }
    if (ready.faultsPort() > 0) {
      meta.put(MeridianLayout.META_FAULTS_PORT, Integer.toString(ready.faultsPort()));
    }
    return new ReplicaRegistration(
        MeridianLayout.REPLICA_SERVICE,
        spec.replicaId(),
        spec.advertiseHost(),
        ready.port(),
        List.of(spec.modelName()),
        meta,
        ttl,
        deregisterCriticalAfter);
  }
}
