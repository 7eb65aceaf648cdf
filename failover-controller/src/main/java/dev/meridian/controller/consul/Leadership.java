package dev.meridian.controller.consul;

import java.util.Optional;

/** Whether this controller leads, under which fencing epoch, and who leads if it does not. */
public interface Leadership {
  /** Whether this controller leads and can still prove it. Cheap; thread-safe. */
  boolean isLeader();

  /** The epoch of this controller's current (or last) leadership; 0 if it never led. */
  long epoch();

  /**
   * The candidate id (the admin address) of the controller Consul says leads now, if any. May ask
   * Consul; thread-safe.
   */
  Optional<String> leader();
}
