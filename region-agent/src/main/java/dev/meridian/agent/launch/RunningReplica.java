package dev.meridian.agent.launch;

import java.util.concurrent.CompletableFuture;

/** One started incarnation of a replica, in a child process or in this one. Thread-safe. */
public interface RunningReplica {
  /** What the replica reported when it became ready. */
  ReplicaReady ready();

  /**
   * Completes when the replica has stopped, for whatever reason, with a description of how (for
   * example {@code exited with code 137 (killed by SIGKILL)}).
   */
  CompletableFuture<String> exited();

  /**
   * Stops gracefully: the replica reports NOT_SERVING, refuses new calls and finishes in-flight
   * ones within its drain timeout. Blocks until it has stopped, forcing it if it overruns.
   */
  void stop();
}
