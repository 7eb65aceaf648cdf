package dev.meridian.registry;

/** Hears a {@link LeaderLock}'s transitions, on the lock's own thread. */
public interface LeadershipListener {
  /** This candidate now leads; {@code epoch} fences its writes. */
  void elected(long epoch);

  /** This candidate no longer leads (or can no longer prove it does); stop acting at once. */
  void deposed(String reason);
}
