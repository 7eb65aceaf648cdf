package dev.meridian.agent.health;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to probe next: the interval plus a random part of the jitter, so that the probes of many
 * replicas started together drift apart instead of hitting Consul and the machine in step (as
 * Consul staggers its own checks). Not thread-safe when the random generator is not.
 */
public final class ProbeSchedule {
  private final Duration interval;
  private final Duration jitter;
  private final RandomGenerator random;

  /** Creates a schedule. */
  public ProbeSchedule(Duration interval, Duration jitter, RandomGenerator random) {
    this.interval = interval;
    this.jitter = jitter;
    this.random = random;
  }

  /** The delay before the next probe, in {@code [interval, interval + jitter]}. */
  public Duration next() {
    long extra = jitter.isZero() ? 0 : random.nextLong(jitter.toNanos() + 1);
    return interval.plusNanos(extra);
  }

  /** The delay before the first probe of a replica just started: a random part of the jitter. */
  public Duration first() {
    return jitter.isZero()
        ? Duration.ZERO
        : Duration.ofNanos(random.nextLong(jitter.toNanos() + 1));
  }
}
