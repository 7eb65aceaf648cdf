package dev.meridian.registry;

/**
 * The aggregate health Consul reports for one service instance: the worst of its checks. Only
 * {@link #CRITICAL} takes an instance out of service; a {@link #WARNING} instance still serves, at
 * a reduced weight.
 */
public enum HealthState {
  /** Every check passes. */
  PASSING,
  /** At least one check warns (slow, at its limit, on its fallback model) and none is critical. */
  WARNING,
  /** At least one check is critical (or in maintenance): the instance must get no traffic. */
  CRITICAL;

  /** The weight factor of a warning instance, documented in the README. */
  public static final double WARNING_WEIGHT = 0.5;

  /**
   * The share of its normal traffic an instance in this state gets: all of it when passing, {@value
   * #WARNING_WEIGHT} of it when warning (it still serves, so its load does not cascade onto its
   * peers, but less is asked of it), none when critical.
   */
  public double weightFactor() {
    return switch (this) {
      case PASSING -> 1.0;
      case WARNING -> WARNING_WEIGHT;
      case CRITICAL -> 0.0;
    };
  }

  /** Whether an instance in this state may be sent calls. */
  public boolean serves() {
    return this != CRITICAL;
  }
}
