package dev.meridian.gateway.policy;

import dev.failsafe.Bulkhead;
import dev.failsafe.CircuitBreaker;
import java.time.Duration;

/**
 * The Failsafe circuit breaker and bulkhead guarding one region, used standalone (acquire a permit,
 * call, record) because attempts are asynchronous gRPC calls. Slow calls are recorded as failures,
 * so a region that answers too late is shed like one that does not answer. Thread-safe, as
 * Failsafe's policies are.
 */
public final class RegionPolicies {
  private final String region;
  private final CircuitBreaker<Object> breaker;
  private final Bulkhead<Object> bulkhead;
  private final Duration slowCall;
  private final Duration bulkheadMaxWait;

  RegionPolicies(
      String region,
      CircuitBreaker<Object> breaker,
      Bulkhead<Object> bulkhead,
      Duration slowCall,
      Duration bulkheadMaxWait) {
    this.region = region;
    this.breaker = breaker;
    this.bulkhead = bulkhead;
    this.slowCall = slowCall;
    this.bulkheadMaxWait = bulkheadMaxWait;
  }

  /** The region guarded. */
  public String region() {
    return region;
  }

  /** The region's breaker, for state and metrics. */
  public CircuitBreaker<Object> breaker() {
    return breaker;
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

  /** Records a call that completed in {@code elapsed}, and releases its bulkhead permit. */
  public void recordSuccess(Duration elapsed) {
    bulkhead.releasePermit();
    if (elapsed.compareTo(slowCall) > 0) {
      breaker.recordFailure();
    } else {
      breaker.recordSuccess();
    }
  }

  /** Records a call that failed for a reason that speaks against the region. */
  public void recordFailure() {
    bulkhead.releasePermit();
    breaker.recordFailure();
  }

  /** Releases the bulkhead permit of a call whose outcome says nothing about the region. */
  public void recordNeutral() {
    bulkhead.releasePermit();
    breaker.recordSuccess();
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
