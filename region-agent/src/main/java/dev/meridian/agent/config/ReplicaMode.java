package dev.meridian.agent.config;

/** Where the agent runs its replicas. */
public enum ReplicaMode {
  /** Each replica a child JVM with its own heap limit, which a crash or OOM cannot spread from. */
  PROCESS("process"),
  /** Each replica a server inside the agent's JVM: fast to start, for tests. */
  IN_PROCESS("in-process");

  private final String spelling;

  ReplicaMode(String spelling) {
    this.spelling = spelling;
  }

  /** The mode as {@code replicas.mode} writes it: {@code process} or {@code in-process}. */
  @Override
  public String toString() {
    return spelling;
  }
}
