package dev.meridian.gateway.policy;

import dev.meridian.core.Ticker;

/**
 * Caps retries as a share of calls, so that a brown-out cannot multiply the load on the regions
 * still standing (after Finagle's retry budget). Every call deposits {@code retryRatio} of a token;
 * every retry or hedge withdraws a whole one. A small reserve, refilled at {@code
 * minRetriesPerSecond} on the injected clock, lets a quiet gateway still retry. Thread-safe: every
 * method is synchronized, and each is a few arithmetic operations.
 */
public final class RetryBudget {
  private static final double NANOS_PER_SECOND = 1e9;

  private final double retryRatio;
  private final double maxBalance;
  private final double minRetriesPerSecond;
  private final Ticker ticker;
  // Guarded by this.
  private double balance;
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
    // Enough to absorb a burst of failures after steady traffic, not enough to store up a storm.
    this.maxBalance = Math.max(1, retryRatio * 100);
    this.minRetriesPerSecond = minRetriesPerSecond;
    this.ticker = ticker;
    this.reserve = minRetriesPerSecond;
    this.refilledAtNanos = ticker.nanoTime();
  }

  /** Records a new call, earning a share of a retry. */
  public synchronized void recordCall() {
    balance = Math.min(maxBalance, balance + retryRatio);
  }

  /** Takes one retry from the budget; false when the budget is spent. */
  public synchronized boolean tryAcquireRetry() {
    refillReserve();
    if (balance >= 1) {
      balance -= 1;
      return true;
    }
    if (reserve >= 1) {
      reserve -= 1;
      return true;
    }
    return false;
  }

  private void refillReserve() {
    long now = ticker.nanoTime();
    double earned = (now - refilledAtNanos) / NANOS_PER_SECOND * minRetriesPerSecond;
    reserve = Math.min(minRetriesPerSecond, reserve + earned);
    refilledAtNanos = now;
  }
}
