package dev.meridian.agent.config;

import static dev.meridian.agent.config.AgentSettings.CRASH_LOOP_RESTARTS;
import static dev.meridian.agent.config.AgentSettings.CRASH_LOOP_WINDOW;
import static dev.meridian.agent.config.AgentSettings.INITIAL_BACKOFF;
import static dev.meridian.agent.config.AgentSettings.MAX_BACKOFF;

import dev.meridian.core.Durations;
import java.time.Duration;

/**
 * How the supervisor restarts a replica that exits, and when it gives up. Immutable; every value is
 * checked by its {@code restart.*} setting in {@link AgentSettings}.
 *
 * @param initialBackoff the delay before the first restart; each consecutive restart doubles it
 * @param maxBackoff the longest delay between restarts; at least {@code initialBackoff}
 * @param crashLoopRestarts this many restarts within {@code crashLoopWindow} is a crash loop: the
 *     supervisor stops restarting and reports the replica critical
 * @param crashLoopWindow the window restarts are counted in; a replica that stays up this long
 *     starts again from {@code initialBackoff}
 */
public record RestartConfig(
    Duration initialBackoff, Duration maxBackoff, int crashLoopRestarts, Duration crashLoopWindow) {
  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException naming the offending key
   */
  public RestartConfig {
    INITIAL_BACKOFF.check(initialBackoff);
    MAX_BACKOFF.check(maxBackoff);
    CRASH_LOOP_RESTARTS.check(crashLoopRestarts);
    CRASH_LOOP_WINDOW.check(crashLoopWindow);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw MAX_BACKOFF.invalid(
          maxBackoff,
          "at least " + INITIAL_BACKOFF.key() + " (" + Durations.format(initialBackoff) + ")");
    }
  }
}
