package dev.meridian.deploy.e2e;

import dev.meridian.deploy.topology.LocalTopology;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes a whole region out the way a region goes dark: every one of its processes (the region agent
 * and every replica it runs) SIGKILLed at once, or SIGSTOPped and later SIGCONTed. The region's
 * Consul datacenter lives on in the dev Consul, as it would on other hosts, so Consul learns of it
 * only when the TTL checks run out.
 */
final class RegionFaults {
  private final LocalTopology topology;
  private final ReplicaFaults replicas;

  RegionFaults(LocalTopology topology, ReplicaFaults replicas) {
    this.topology = topology;
    this.replicas = replicas;
  }

  /** SIGKILLs the agent of {@code region} and every replica process it runs; returns how many. */
  int kill(String region) {
    long[] pids = pids(region);
    Signals.send("-KILL", pids);
    return pids.length;
  }

  /** Starts the region's agent again, which starts its replicas again. */
  void restart(String region) throws InterruptedException {
    topology.restart(agent(region));
  }

  /** SIGSTOPs the agent of {@code region} and every replica process it runs; returns how many. */
  int freeze(String region) {
    long[] pids = pids(region);
    Signals.send("-STOP", pids);
    return pids.length;
  }

  /** SIGCONTs what {@link #freeze} stopped. */
  void resume(String region) {
    Signals.send("-CONT", pids(region));
  }

  private long[] pids(String region) {
    List<Long> pids = new ArrayList<>();
    pids.add(topology.process(agent(region)).pid());
    replicas.replicaProcesses(region).forEach(process -> pids.add(process.pid()));
    return pids.stream().mapToLong(Long::longValue).toArray();
  }

  private static String agent(String region) {
    return "agent-" + region;
  }
}
