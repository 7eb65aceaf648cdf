package dev.meridian.agent.launch;

import dev.meridian.registry.ReplicaProtocol;

/** Starts replicas; one implementation per {@link dev.meridian.agent.config.ReplicaMode}. */
public interface ReplicaLauncher {
  /**
   * Starts a replica and waits until it serves, warmed up.
   *
   * @throws ReplicaStartException when it cannot start, saying why
   */
  RunningReplica launch(ReplicaSpec spec) throws ReplicaStartException;

  /** The protocol the replicas this launcher starts are called through. */
  default ReplicaProtocol protocol() {
    return ReplicaProtocol.MERIDIAN;
  }
}
