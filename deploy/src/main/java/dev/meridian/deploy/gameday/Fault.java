package dev.meridian.deploy.gameday;

/**
 * A fault a game day injects into a running system and heals: what it breaks, where, and how to
 * undo it.
 */
public interface Fault {
  /** What the fault does, for the report. */
  String describe();

  /** The region or replica the fault hits, whose traffic the report follows. */
  Target target();

  /** Breaks the system. */
  void inject() throws Exception;

  /** Undoes {@link #inject()}; called even when injecting failed part way. */
  void heal() throws Exception;
}
