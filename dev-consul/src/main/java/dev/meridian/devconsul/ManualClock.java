package dev.meridian.devconsul;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * A clock that only moves when told to, for tests that drive TTL expiry, session TTLs, lock-delay
 * and the reaper: advance it, then call {@link DevConsul#runTimers()}. Thread-safe.
 */
public final class ManualClock implements InstantSource {
  private Instant now;

  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** A clock starting at the current wall-clock time. */
  public ManualClock() {
    this(Instant.now());
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  /** Moves the clock forward. */
  public synchronized void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("by: " + by + " (expected: >= 0)");
    }
    now = now.plus(by);
  }
}
