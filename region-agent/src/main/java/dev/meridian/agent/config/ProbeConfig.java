package dev.meridian.agent.config;

import static dev.meridian.agent.config.AgentSettings.FAILURES_BEFORE_CRITICAL;
import static dev.meridian.agent.config.AgentSettings.PROBE_INTERVAL;
import static dev.meridian.agent.config.AgentSettings.PROBE_JITTER;
import static dev.meridian.agent.config.AgentSettings.PROBE_TIMEOUT;
import static dev.meridian.agent.config.AgentSettings.SUCCESSES_BEFORE_PASSING;

import dev.meridian.core.Durations;
import java.time.Duration;

/**
 * How the agent probes each replica, and how many probe results it takes to change the replica's
 * Consul check (flap damping, as Consul's own agent does). Immutable; every value is checked by its
 * {@code probe.*} setting in {@link AgentSettings}.
 *
 * @param interval time between probes of one replica
 * @param jitter up to this much is added at random to each interval, so probes of many replicas do
 *     not line up; at most the interval
 * @param timeout a probe with no answer by then fails
 * @param successesBeforePassing consecutive good probes before a check leaves critical
 * @param failuresBeforeCritical consecutive failed probes before a check goes critical
 */
public record ProbeConfig(
    Duration interval,
    Duration jitter,
    Duration timeout,
    int successesBeforePassing,
    int failuresBeforeCritical) {
  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException naming the offending key
   */
  public ProbeConfig {
    PROBE_INTERVAL.check(interval);
    PROBE_JITTER.check(jitter);
    PROBE_TIMEOUT.check(timeout);
    SUCCESSES_BEFORE_PASSING.check(successesBeforePassing);
    FAILURES_BEFORE_CRITICAL.check(failuresBeforeCritical);
    if (jitter.compareTo(interval) > 0) {
      throw PROBE_JITTER.invalid(
          jitter, "at most " + PROBE_INTERVAL.key() + " (" + Durations.format(interval) + ")");
    }
  }

  /** The jitter of {@code interval} when {@code probe.jitter} is not configured. */
  public static Duration defaultJitter(Duration interval) {
    return interval.dividedBy(AgentSettings.JITTER_DIVISOR);
  }

  /** The longest time from one probe's start to the next probe's deadline, jitter included. */
  public Duration cycle() {
    return interval.plus(jitter).plus(timeout);
  }
}
