package dev.meridian.agent.supervision;

import dev.meridian.agent.config.RestartConfig;
import dev.meridian.core.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides, each time a replica stops, whether and when to start it again: exponential backoff from
 * the initial delay up to the maximum, back to the initial delay after a run as long as the
 * crash-loop window, and a crash loop (give up) once the restarts within the window reach the
 * limit. Pure logic on an injected {@link Ticker}; it never waits.
 *
 * <p>Not thread-safe: one supervisor thread owns each policy.
 */
public final class SupervisionPolicy {
  private final RestartConfig config;
  private final Ticker ticker;
  private final Deque<Long> restarts = new ArrayDeque<>();
  private long startedAt;
  private boolean running;
  private int consecutive;

  /** Creates a policy for one replica. */
  public SupervisionPolicy(RestartConfig config, Ticker ticker) {
    this.config = config;
    this.ticker = ticker;
  }

  /** Notes that the replica has started and serves. */
  public void started() {
    startedAt = ticker.nanoTime();
    running = true;
  }

  /** Decides what to do now that the replica has stopped (or failed to start). */
  public RestartDecision stopped() {
    long now = ticker.nanoTime();
    long window = config.crashLoopWindow().toNanos();
    if (running && now - startedAt >= window) {
      consecutive = 0;
    }
    running = false;
    while (!restarts.isEmpty() && now - restarts.peekFirst() >= window) {
      restarts.removeFirst();
    }
    if (restarts.size() >= config.crashLoopRestarts()) {
      return new RestartDecision.GiveUp(
          "crash loop: "
              + restarts.size()
              + " restarts within "
              + config.crashLoopWindow().toMillis()
              + "ms; gave up restarting");
    }
    restarts.addLast(now);
    consecutive++;
    return new RestartDecision.Restart(backoff(consecutive), consecutive);
  }

  private Duration backoff(int attempt) {
    Duration max = config.maxBackoff();
    // Doubling past 2^30 overflows long nanos long after it has passed any sane maximum.
    Duration delay = config.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 30));
    return delay.compareTo(max) > 0 || delay.isNegative() ? max : delay;
  }
}
