package dev.meridian.agent.supervision;

import java.time.Duration;

/** What to do about a replica that stopped: restart it after a delay, or give up. */
public sealed interface RestartDecision {
  /**
   * Start the replica again after {@code delay}.
   *
   * @param delay the backoff before the restart
   * @param attempt how many restarts in a row this is, from 1
   */
  record Restart(Duration delay, int attempt) implements RestartDecision {}

  /**
   * Stop restarting: the replica is crash-looping.
   *
   * @param reason why, for the health check
   */
  record GiveUp(String reason) implements RestartDecision {}
}
