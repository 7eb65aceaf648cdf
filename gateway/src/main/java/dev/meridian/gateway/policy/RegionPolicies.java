package dev.meridian.gateway.policy;

import dev.failsafe.Bulkhead;
import dev.failsafe.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The policies guarding one model in one region: a Failsafe circuit breaker of its own, the
 * region's bulkhead (shared by the region's models), a count of failures in a row and the recent
 * latency of answers. Used standalone (admit, call, record) because attempts are asynchronous gRPC
 * calls. The breaker opens on a failure rate over its window, and also at once after {@code
 * consecutiveFailuresToOpen} failures in a row, which a region that just died reaches long before a
 * rate over a window full of earlier successes does. Slow answers count as failures. Only an answer
 * counts as a successful half-open trial. Thread-safe, as Failsafe's policies are.
 */
public final class RegionPolicies {
  private final String region;
  private final String model;
  private final CircuitBreaker<Object> breaker;
  private final Bulkhead<Object> bulkhead;
  private final Duration slowCall;
  private final Duration bulkheadMaxWait;
  private final int consecutiveFailuresToOpen;
  private final LatencyTracker latency;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  // Whether the region's last attempt ended in an error (not merely slow: answered late, overtaken
  // by its hedge, or past its attempt timeout).
  private final AtomicBoolean lastAttemptErred = new AtomicBoolean();

  RegionPolicies(
      String region,
      String model,
      CircuitBreaker<Object> breaker,
      Bulkhead<Object> bulkhead,
      PolicyConfig config,
      LatencyTracker latency) {
    this.region = region;
    this.model = model;
    this.breaker = breaker;
    this.bulkhead = bulkhead;
    this.slowCall = config.breakerSlowCall();
    this.bulkheadMaxWait = config.bulkheadMaxWait();
    this.consecutiveFailuresToOpen = config.breakerConsecutiveFailures();
    this.latency = latency;
  }

  /** The region guarded. */
  public String region() {
    return region;
  }

  /** The model guarded. */
  public String model() {
    return model;
  }

  /** The breaker, for state and metrics. */
  public CircuitBreaker<Object> breaker() {
    return breaker;
  }

  /** The recent latency of this model's answers in this region. */
  public LatencyTracker latency() {
    return latency;
  }

  /**
   * Whether the breaker would let a call through now: closed, half-open, or open with its delay
   * over (it half-opens on the next permit asked). A region that is not is skipped when choosing
   * where to send a call, at no cost to the call.
   */
  public boolean available() {
    return !breaker.isOpen() || breaker.getRemainingDelay().isZero();
  }

  /**
   * Asks both policies for a permit: the bulkhead first, waiting for it at most the configured
   * time, then the breaker. In that order a refusal never leaves a breaker permit taken, which
   * Failsafe offers no way to give back (it would count as a trial call while half-open).
   *
   * @return why the call may not go to this region, or {@link Admission#ADMITTED}
   */
  public Admission admit() throws InterruptedException {
    boolean permitted =
        bulkheadMaxWait.isZero()
            ? bulkhead.tryAcquirePermit()
            : bulkhead.tryAcquirePermit(bulkheadMaxWait);
    if (!permitted) {
      return Admission.BULKHEAD_FULL;
    }
    if (!breaker.tryAcquirePermit()) {
      bulkhead.releasePermit();
      return Admission.BREAKER_OPEN;
    }
    return Admission.ADMITTED;
  }

  /**
   * Admits an attempt past an open breaker, for a call with no region whose breaker lets it
   * through, as the last thing to try before a degraded answer: only while the region's last
   * attempt did not end in an error, so a breaker opened by slowness (a stall of the gateway itself
   * makes every region slow at once) lets it through and one opened by errors does not; and only if
   * the bulkhead has room. The outcome is recorded as usual; an open breaker counts none of it.
   *
   * @return whether the attempt may go
   */
  public boolean admitPastOpenBreaker() {
    return !lastAttemptErred.get() && bulkhead.tryAcquirePermit();
  }

  /** Records an answer that took {@code elapsed}, and releases the bulkhead permit. */
  public void recordSuccess(Duration elapsed) {
    bulkhead.releasePermit();
    lastAttemptErred.set(false);
    latency.record(elapsed);
    if (elapsed.compareTo(slowCall) > 0) {
      recordFailureInBreaker();
    } else {
      consecutiveFailures.set(0);
      breaker.recordSuccess();
    }
  }

  /** Records an attempt that ended in an error that speaks against the region. */
  public void recordFailure() {
    bulkhead.releasePermit();
    lastAttemptErred.set(true);
    recordFailureInBreaker();
  }

  /**
   * Records an attempt that was too slow: overtaken by its hedge, or past its attempt timeout. A
   * failure for the breaker, as a slow answer is, but no error.
   */
  public void recordTooSlow() {
    bulkhead.releasePermit();
    lastAttemptErred.set(false);
    recordFailureInBreaker();
  }

  /**
   * Records that a model answered with an error of its own (bad input, unknown version): the region
   * answered, so this is a success for the breaker, but says nothing of its latency.
   */
  public void recordModelError() {
    bulkhead.releasePermit();
    lastAttemptErred.set(false);
    consecutiveFailures.set(0);
    breaker.recordSuccess();
  }

  /**
   * Releases the permits of an attempt that ended without an answer for a reason that says nothing
   * about the region (the caller left, a model rejected the input). It is no success: while the
   * breaker is half-open it fails the trial, as Failsafe cannot take a trial permit back and only
   * an answer may close the breaker.
   */
  public void recordNoAnswer() {
    bulkhead.releasePermit();
    if (breaker.isHalfOpen()) {
      breaker.recordFailure();
    }
  }

  private void recordFailureInBreaker() {
    breaker.recordFailure();
    if (consecutiveFailures.incrementAndGet() >= consecutiveFailuresToOpen && breaker.isClosed()) {
      consecutiveFailures.set(0);
      breaker.open();
    }
  }

  /** Why a call was or was not admitted to a region. */
  public enum Admission {
    /** Both permits taken; the call may go. */
    ADMITTED,
    /** The breaker is open, or half-open with every trial call taken. */
    BREAKER_OPEN,
    /** The region has as many calls in flight as its bulkhead allows. */
    BULKHEAD_FULL
  }
}
