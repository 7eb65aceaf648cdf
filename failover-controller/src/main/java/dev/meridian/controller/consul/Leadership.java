package dev.meridian.controller.consul;

import java.util.Optional;

/** Whether this controller leads, and who leads if it does not. */
public interface Leadership {
  /** Whether this controller leads and can still prove it by its lease. Cheap; thread-safe. */
  boolean isLeader();

  /**
   * Whether Consul says, now, that this controller's session holds the lock: one read, for the
   * moments a stale belief would do harm (taking an epoch, recording a drain). False when it leads
   * by neither its lease nor Consul, or when Consul cannot be asked. Thread-safe.
   */
  boolean confirm();

  /**
   * The candidate id (the admin address) of the controller Consul says leads now, if any. May ask
   * Consul; thread-safe.
   */
  Optional<String> leader();
}
