package dev.meridian.controller.routing;

import java.time.Duration;

/**
 * Progress through a ramp of equal steps: after {@code duration * k / steps} it has taken {@code k}
 * steps, and after {@code duration} all of them. Steps rather than a smooth line keep the number of
 * table versions a ramp writes small and predictable. Immutable.
 */
final class StepRamp {
  private final long durationNanos;
  private final int steps;

  StepRamp(Duration duration, int steps) {
    this.durationNanos = duration.toNanos();
    this.steps = steps;
  }

  /** How many steps have been taken {@code elapsedNanos} after the start: 0..steps. */
  int stepsTaken(long elapsedNanos) {
    if (elapsedNanos >= durationNanos) {
      return steps;
    }
    if (elapsedNanos <= 0) {
      return 0;
    }
    return (int) (elapsedNanos * steps / durationNanos);
  }

  /** The value {@code stepsTaken} steps of the way from {@code from} to {@code to}. */
  long valueAt(long from, long to, long elapsedNanos) {
    return from + (to - from) * stepsTaken(elapsedNanos) / steps;
  }

  /** The least elapsed time at which {@code step} (0..steps) has been taken. */
  long startOfStep(int step) {
    return (durationNanos * step + steps - 1) / steps;
  }

  /** The number of steps. */
  int steps() {
    return steps;
  }
}
