package dev.meridian.gateway.policy;

import dev.meridian.core.Ticker;

/**
 * Caps retries and hedges as a share of calls, so that a brown-out cannot multiply the load on the
 * regions still standing (after Finagle's retry budget, whose deposits expire). Every call of the
 * last ten seconds earns {@code retryRatio} of a retry, and every retry of the same ten seconds
 * spends one: over any stretch, retries stay within the ratio, while a fault that starts after
 * steady traffic finds the budget the traffic earned, not an empty one. A small reserve, refilled
 * at {@code minRetriesPerSecond}, lets a quiet gateway still retry. Attempts that never reached a
 * server are not retries and never come here. Time is the injected ticker. Thread-safe: every
 * method is synchronized and is a few arithmetic operations.
 */
public final class RetryBudget {
  private static final double NANOS_PER_SECOND = 1e9;
  private static final int SLOTS = 10;
  private static final long SLOT_NANOS = 1_000_000_000L;

  private final double retryRatio;
  private final double minRetriesPerSecond;
  private final Ticker ticker;
  // Guarded by this: calls and retries per one-second slot of the last SLOTS seconds.
  private final long[] calls = new long[SLOTS];
  private final long[] retries = new long[SLOTS];
  private long callsInWindow;
  private long retriesInWindow;
  private long slotNumber;
  private double reserve;
  private long refilledAtNanos;

  /**
   * Creates a budget.
   *
   * @param retryRatio the share of calls that may be retried, e.g. 0.2 for 20%
   * @param minRetriesPerSecond retries allowed per second whatever the traffic
   */
  public RetryBudget(double retryRatio, int minRetriesPerSecond, Ticker ticker) {
    this.retryRatio = retryRatio;
    this.minRetriesPerSecond = minRetriesPerSecond;
    this.ticker = ticker;
    this.reserve = minRetriesPerSecond;
    this.refilledAtNanos = ticker.nanoTime();
    this.slotNumber = Math.floorDiv(refilledAtNanos, SLOT_NANOS);
  }

  /** Records a new call, earning a share of a retry. */
  public synchronized void recordCall() {
    int slot = advance();
    calls[slot]++;
    callsInWindow++;
  }

  /** Takes one retry from the budget; false when the budget is spent. */
  public synchronized boolean tryAcquireRetry() {
    int slot = advance();
    refillReserve();
    if (retriesInWindow + 1 <= retryRatio * callsInWindow) {
      retries[slot]++;
      retriesInWindow++;
      return true;
    }
    if (reserve >= 1) {
      reserve -= 1;
      return true;
    }
    return false;
  }

  /** Moves the window to now, expiring the slots that fell out of it; returns the current slot. */
  private int advance() {
    long now = Math.floorDiv(ticker.nanoTime(), SLOT_NANOS);
    long expired = Math.min(now - slotNumber, SLOTS);
    for (long i = 1; i <= expired; i++) {
      int slot = Math.floorMod(slotNumber + i, SLOTS);
      callsInWindow -= calls[slot];
      retriesInWindow -= retries[slot];
      calls[slot] = 0;
      retries[slot] = 0;
    }
    slotNumber = Math.max(slotNumber, now);
    return Math.floorMod(slotNumber, SLOTS);
  }

  private void refillReserve() {
    long now = ticker.nanoTime();
    double earned = (now - refilledAtNanos) / NANOS_PER_SECOND * minRetriesPerSecond;
    reserve = Math.min(minRetriesPerSecond, reserve + earned);
    refilledAtNanos = now;
  }
}
