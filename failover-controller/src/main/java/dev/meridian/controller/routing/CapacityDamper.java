package dev.meridian.controller.routing;

import java.time.Duration;

/**
 * Turns a region's observed healthy capacity into the capacity it gets weight for: drops apply at
 * once (traffic must leave failing replicas now), rises only after they have held for the recovery
 * hold, and then in steps over the recovery ramp. Region agents already damp flapping checks before
 * reporting them, so the controller damps only the way back. Not thread-safe: owned by one {@link
 * RegionTracker}.
 */
final class CapacityDamper {
  private static final long NONE = Long.MIN_VALUE;

  private final long holdNanos;
  private final StepRamp ramp;
  private boolean started;
  private long granted;
  private long risingSince = NONE;
  private long rampFrom;
  private long rampTo = NONE;
  private long rampStart;

  CapacityDamper(Duration hold, StepRamp ramp) {
    this.holdNanos = hold.toNanos();
    this.ramp = ramp;
  }

  /**
   * Starts from {@code capacity} rather than from the first observation, for a region that was
   * drained or that a previous leader had at a lower weight.
   */
  void resetTo(long capacity) {
    started = true;
    granted = capacity;
    risingSince = NONE;
    rampTo = NONE;
  }

  /** The capacity to give weight to at {@code nowNanos}, given the observed healthy capacity. */
  long update(long observed, long nowNanos) {
    if (!started || observed <= granted) {
      resetTo(observed);
      return granted;
    }
    if (risingSince == NONE) {
      risingSince = nowNanos;
    }
    if (nowNanos - risingSince < holdNanos) {
      return granted;
    }
    if (rampTo != observed) {
      // A first ramp starts when the hold ended, however late this update comes; a ramp whose
      // target moved starts again from where it got to.
      rampStart = rampTo == NONE ? risingSince + holdNanos : nowNanos;
      rampFrom = granted;
      rampTo = observed;
    }
    granted = ramp.valueAt(rampFrom, rampTo, nowNanos - rampStart);
    if (granted == rampTo) {
      resetTo(granted);
    }
    return granted;
  }

  /** Whether capacity is being held back: rising but not yet fully granted. */
  boolean recovering() {
    return risingSince != NONE;
  }
}
