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

  /** Whether an instance in this state may be sent calls. */
  public boolean serves() {
    return this != CRITICAL;
  }
}
