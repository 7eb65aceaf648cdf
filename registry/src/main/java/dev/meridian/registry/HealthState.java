package dev.meridian.registry;

/**
 * The aggregate health Consul reports for one service instance: the worst of its checks. Only
 * {@link #CRITICAL} takes an instance out of service; a {@link #WARNING} instance still serves, at
 * a reduced weight ({@link #weightFactor()}).
 */
public enum HealthState {
  /** Every check passes. */
  PASSING,
  /** At least one check warns (slow, at its limit, on its fallback model) and none is critical. */
  WARNING,
  /** At least one check is critical (or in maintenance): the instance must get no traffic. */
  CRITICAL;

  // Half, not zero: a replica that warns is slow or at its limit, so it should take less, but
  // taking it out would push all its load onto the others and make them warn in turn.
  private static final double WARNING_WEIGHT_FACTOR = 0.5;

  /** Whether an instance in this state may be sent calls. */
  public boolean serves() {
    return this != CRITICAL;
  }

  /**
   * The share of its capacity an instance in this state is given weight for: 1 when passing, 0.5
   * when warning, 0 when critical. Routing (controller and gateway) weighs replicas by this.
   */
  public double weightFactor() {
    return switch (this) {
      case PASSING -> 1.0;
      case WARNING -> WARNING_WEIGHT_FACTOR;
      case CRITICAL -> 0.0;
    };
  }
}
