package dev.meridian.controller.routing;

import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The thresholds and timings of routing-table computation: the {@code routing} section of the
 * controller's file. Each component is one {@link Setting} below, which states its default and the
 * values it accepts; the constructor checks values built in code by the same rules, with errors
 * that name the key, for example {@code routing.recovery-steps: 0 (expected: 1..100)}.
 *
 * <p>Weight is taken away at once and given back slowly: a region's weight drops as soon as its
 * healthy capacity drops, but rises only after the higher capacity has held for {@link
 * #recoveryHold()}, and then in {@link #recoverySteps()} equal steps over {@link #recoveryRamp()}.
 * That asymmetry is the hysteresis: a flapping replica keeps its region at the lower weight instead
 * of moving traffic back and forth.
 *
 * @param evaluationInterval how often the leader recomputes tables even without news, so holds and
 *     ramps progress
 * @param degradedBelow a region whose weighted capacity is below this fraction of its registered
 *     capacity is DEGRADED, otherwise ACTIVE
 * @param recoveryHold how long a rise in healthy capacity must hold before the region gains weight
 *     for it
 * @param recoveryRamp how long, after the hold, the weight takes to climb to the new capacity
 * @param recoverySteps in how many equal steps the weight climbs
 * @param drainRamp how long a drain takes to bring the weight to zero
 * @param drainSteps in how many equal steps a drain takes the weight down
 */
public record RoutingPolicy(
    Duration evaluationInterval,
    double degradedBelow,
    Duration recoveryHold,
    Duration recoveryRamp,
    int recoverySteps,
    Duration drainRamp,
    int drainSteps) {

  /** {@code routing.evaluation-interval}. */
  public static final Setting<Duration> EVALUATION_INTERVAL =
      Setting.duration("routing.evaluation-interval", Duration.ofMillis(1))
          .withDefault(Duration.ofSeconds(1))
          .means("recompute period");

  /** {@code routing.degraded-below}. */
  public static final Setting<Double> DEGRADED_BELOW =
      Setting.number("routing.degraded-below", 0.01, 1)
          .withDefault(0.75)
          .means("DEGRADED below this share of registered capacity");

  /** {@code routing.recovery-hold}. */
  public static final Setting<Duration> RECOVERY_HOLD =
      Setting.duration("routing.recovery-hold", Duration.ZERO)
          .withDefault(Duration.ofSeconds(10))
          .means("how long a capacity rise must hold before weight returns");

  /** {@code routing.recovery-ramp}. */
  public static final Setting<Duration> RECOVERY_RAMP =
      Setting.duration("routing.recovery-ramp", Duration.ZERO)
          .withDefault(Duration.ofSeconds(30))
          .means("weight returns over this time, after the hold");

  /** {@code routing.recovery-steps}. */
  public static final Setting<Integer> RECOVERY_STEPS =
      Setting.integer("routing.recovery-steps", 1, 100)
          .withDefault(3)
          .means("weight returns in this many equal steps");

  /** {@code routing.drain-ramp}. */
  public static final Setting<Duration> DRAIN_RAMP =
      Setting.duration("routing.drain-ramp", Duration.ZERO)
          .withDefault(Duration.ofSeconds(60))
          .means("a drain reaches zero weight over this time");

  /** {@code routing.drain-steps}. */
  public static final Setting<Integer> DRAIN_STEPS =
      Setting.integer("routing.drain-steps", 1, 100)
          .withDefault(4)
          .means("a drain reaches zero weight in this many equal steps");

  /** Every key of the {@code routing} section. */
  public static final List<Setting<?>> SETTINGS =
      List.of(
          EVALUATION_INTERVAL,
          DEGRADED_BELOW,
          RECOVERY_HOLD,
          RECOVERY_RAMP,
          RECOVERY_STEPS,
          DRAIN_RAMP,
          DRAIN_STEPS);

  /** Every key at its default. */
  public static final RoutingPolicy DEFAULTS =
      new RoutingPolicy(
          EVALUATION_INTERVAL.defaultValue(),
          DEGRADED_BELOW.defaultValue(),
          RECOVERY_HOLD.defaultValue(),
          RECOVERY_RAMP.defaultValue(),
          RECOVERY_STEPS.defaultValue(),
          DRAIN_RAMP.defaultValue(),
          DRAIN_STEPS.defaultValue());

  /**
   * Checks every component by its key's rule.
   *
   * @throws IllegalArgumentException naming the offending key
   */
  public RoutingPolicy {
    EVALUATION_INTERVAL.check(evaluationInterval);
    DEGRADED_BELOW.check(degradedBelow);
    RECOVERY_HOLD.check(recoveryHold);
    RECOVERY_RAMP.check(recoveryRamp);
    RECOVERY_STEPS.check(recoverySteps);
    DRAIN_RAMP.check(drainRamp);
    DRAIN_STEPS.check(drainSteps);
  }

  /**
   * Reads the {@code routing} section; absent keys take their defaults.
   *
   * @throws dev.meridian.core.config.ConfigException naming the file and the offending key
   */
  public static RoutingPolicy read(ConfigNode routing) {
    return new RoutingPolicy(
        EVALUATION_INTERVAL.read(routing),
        DEGRADED_BELOW.read(routing),
        RECOVERY_HOLD.read(routing),
        RECOVERY_RAMP.read(routing),
        RECOVERY_STEPS.read(routing),
        DRAIN_RAMP.read(routing),
        DRAIN_STEPS.read(routing));
  }
}
