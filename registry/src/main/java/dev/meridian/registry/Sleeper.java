package dev.meridian.registry;

import java.time.Duration;

/** Pauses a background loop between iterations; injected so tests can run loops without delay. */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps with {@link Thread#sleep}. */
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  /** Pauses for {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;
}
