package dev.meridian.agent;

import dev.meridian.agent.replica.ReplicaIdentity;
import dev.meridian.agent.replica.ReplicaServer;
import dev.meridian.agent.replica.ServedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a region's model replicas as plain gRPC servers inside this process, without supervision,
 * probes or Consul: the quick topology of the demo and of other modules' tests. The deployed agent,
 * with supervised replica processes and health in Consul, is {@link SupervisedRegionAgent}.
 */
public final class RegionAgent implements AutoCloseable {
  private final String region;
  private final List<ReplicaServer> replicas = new ArrayList<>();

  private RegionAgent(String region) {
    this.region = region;
  }

  /**
   * Starts {@code replicaCount} replicas serving {@code models} in {@code region}.
   *
   * @param basePort the first replica's port (the others follow), or 0 for free ports
   */
  public static RegionAgent start(
      String region,
      List<ServedModel> models,
      int replicaCount,
      int basePort,
      int maxConcurrentCalls) {
    if (replicaCount <= 0) {
      throw new IllegalArgumentException("replicas: " + replicaCount + " (expected: > 0)");
    }
    RegionAgent agent = new RegionAgent(region);
    try {
      for (int i = 0; i < replicaCount; i++) {
        int port = basePort == 0 ? 0 : basePort + i;
        ReplicaIdentity identity = new ReplicaIdentity(region, region + "-" + i);
        ReplicaServer.Builder replica =
            ReplicaServer.builder(identity).port(port).maxConcurrentCalls(maxConcurrentCalls);
        models.forEach(replica::model);
        agent.replicas.add(replica.start());
      }
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
    return agent;
  }

  /** The region this agent runs in. */
  public String region() {
    return region;
  }

  /** The running replicas, in start order. */
  public List<ReplicaServer> replicas() {
    return List.copyOf(replicas);
  }

  /** Stops every replica gracefully. */
  @Override
  public void close() {
    for (ReplicaServer replica : replicas) {
      replica.close();
    }
  }
}
