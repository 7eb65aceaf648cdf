package dev.meridian.agent.config;

/** Where the agent runs its replicas. */
public enum ReplicaMode {
  /** Each replica a child JVM with its own heap limit, which a crash or OOM cannot spread from. */
  PROCESS,
  /** Each replica a server inside the agent's JVM: fast to start, for tests. */
  IN_PROCESS
}
