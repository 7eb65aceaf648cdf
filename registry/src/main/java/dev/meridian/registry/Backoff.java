package dev.meridian.registry;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, for loops that retry Consul: the n-th consecutive failure waits
 * between half and all of {@code min(max, initial * 2^(n-1))}, so many clients that failed together
 * do not retry together.
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;

  /**
   * Creates a backoff.
   *
   * @param random uniform values in [0, 1), injected so tests are deterministic
   */
  Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The delay after {@code failures} consecutive failures (1 for the first). */
  Duration delay(int failures) {
    long ceiling = initial.toNanos();
    for (int i = 1; i < failures && ceiling < max.toNanos(); i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, max.toNanos());
    return Duration.ofNanos(ceiling / 2 + (long) (random.getAsDouble() * (ceiling / 2)));
  }
}
