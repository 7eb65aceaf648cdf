package dev.meridian.agent.replica;

import io.grpc.Status;
import java.util.concurrent.Semaphore;

/**
 * Bounds how many calls a replica runs at once; calls over the bound are refused at once with
 * {@code RESOURCE_EXHAUSTED} rather than queued, so an overloaded replica sheds load instead of
 * growing latency. Thread-safe.
 */
public final class ConcurrencyLimit {
  private final int maxConcurrentCalls;
  private final Semaphore permits;

  /**
   * Creates a limit.
   *
   * @throws IllegalArgumentException if {@code maxConcurrentCalls} is not positive
   */
  public ConcurrencyLimit(int maxConcurrentCalls) {
    if (maxConcurrentCalls <= 0) {
      throw new IllegalArgumentException(
          "maxConcurrentCalls: " + maxConcurrentCalls + " (expected: > 0)");
    }
    this.maxConcurrentCalls = maxConcurrentCalls;
    this.permits = new Semaphore(maxConcurrentCalls);
  }

  /**
   * Takes a permit, to be given back with {@link #release()}.
   *
   * @throws io.grpc.StatusRuntimeException {@code RESOURCE_EXHAUSTED} when none is free
   */
  public void acquire(String replicaId) {
    if (!permits.tryAcquire()) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(
              "replica "
                  + replicaId
                  + " is at its limit of "
                  + maxConcurrentCalls
                  + " concurrent calls; retry with backoff")
          .asRuntimeException();
    }
  }

  /** Gives back a permit taken by {@link #acquire}. */
  public void release() {
    permits.release();
  }

  /** The number of calls running now. */
  public int inFlight() {
    return maxConcurrentCalls - permits.availablePermits();
  }
}
