package dev.meridian.controller.routing;

import java.time.Duration;

/**
 * The thresholds and timings of routing-table computation, immutable and validated when built with
 * errors that name the key, for example {@code routing.recovery-steps: 0 (expected: 1..100)}.
 *
 * <p>Weight is taken away at once and given back slowly: a region's weight drops as soon as its
 * healthy capacity drops, but rises only after the higher capacity has held for {@link
 * #recoveryHold()}, and then in {@link #recoverySteps()} equal steps over {@link #recoveryRamp()}.
 * That asymmetry is the hysteresis: a flapping replica keeps its region at the lower weight instead
 * of moving traffic back and forth.
 */
public final class RoutingPolicy {
  private final double degradedBelow;
  private final Duration recoveryHold;
  private final Duration recoveryRamp;
  private final int recoverySteps;
  private final Duration drainRamp;
  private final int drainSteps;

  private RoutingPolicy(Builder builder) {
    this.degradedBelow = builder.degradedBelow;
    this.recoveryHold = builder.recoveryHold;
    this.recoveryRamp = builder.recoveryRamp;
    this.recoverySteps = builder.recoverySteps;
    this.drainRamp = builder.drainRamp;
    this.drainSteps = builder.drainSteps;
  }

  /** Starts a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A region whose weighted capacity is below this fraction of its registered capacity is DEGRADED,
   * otherwise ACTIVE.
   */
  public double degradedBelow() {
    return degradedBelow;
  }

  /** How long a rise in healthy capacity must hold before the region gains weight for it. */
  public Duration recoveryHold() {
    return recoveryHold;
  }

  /** How long, after the hold, the weight takes to climb to the new capacity. */
  public Duration recoveryRamp() {
    return recoveryRamp;
  }

  /** In how many equal steps the weight climbs. */
  public int recoverySteps() {
    return recoverySteps;
  }

  /** How long a drain takes to bring the weight to zero. */
  public Duration drainRamp() {
    return drainRamp;
  }

  /** In how many equal steps a drain takes the weight down. */
  public int drainSteps() {
    return drainSteps;
  }

  /** Builds a {@link RoutingPolicy}; not thread-safe. */
  public static final class Builder {
    private double degradedBelow = 0.75;
    private Duration recoveryHold = Duration.ofSeconds(10);
    private Duration recoveryRamp = Duration.ofSeconds(30);
    private int recoverySteps = 3;
    private Duration drainRamp = Duration.ofSeconds(60);
    private int drainSteps = 4;

    private Builder() {}

    /** Sets {@code routing.degraded-below} (default 0.75). */
    public Builder degradedBelow(double fraction) {
      this.degradedBelow = fraction;
      return this;
    }

    /** Sets {@code routing.recovery-hold} (default 10s). */
    public Builder recoveryHold(Duration hold) {
      this.recoveryHold = hold;
      return this;
    }

    /** Sets {@code routing.recovery-ramp} (default 30s). */
    public Builder recoveryRamp(Duration ramp) {
      this.recoveryRamp = ramp;
      return this;
    }

    /** Sets {@code routing.recovery-steps} (default 3). */
    public Builder recoverySteps(int steps) {
      this.recoverySteps = steps;
      return this;
    }

    /** Sets {@code routing.drain-ramp} (default 60s). */
    public Builder drainRamp(Duration ramp) {
      this.drainRamp = ramp;
      return this;
    }

    /** Sets {@code routing.drain-steps} (default 4). */
    public Builder drainSteps(int steps) {
      this.drainSteps = steps;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the offending key
     */
    public RoutingPolicy build() {
      if (!(degradedBelow > 0 && degradedBelow <= 1)) {
        throw invalid("degraded-below", degradedBelow, "> 0 and <= 1");
      }
      requireNotNegative("recovery-hold", recoveryHold);
      requireNotNegative("recovery-ramp", recoveryRamp);
      requireNotNegative("drain-ramp", drainRamp);
      if (recoverySteps < 1 || recoverySteps > 100) {
        throw invalid("recovery-steps", recoverySteps, "1..100");
      }
      if (drainSteps < 1 || drainSteps > 100) {
        throw invalid("drain-steps", drainSteps, "1..100");
      }
      return new RoutingPolicy(this);
    }

    private static void requireNotNegative(String key, Duration value) {
      if (value == null || value.isNegative()) {
        throw invalid(key, value, ">= 0s");
      }
    }

    private static IllegalArgumentException invalid(String key, Object value, String expected) {
      return new IllegalArgumentException(
          "routing." + key + ": " + value + " (expected: " + expected + ")");
    }
  }
}
