package dev.meridian.gateway.call;

import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import java.time.Duration;

/**
 * How long a call waits for its first attempt before hedging: the configured percentile of the
 * region's recent answers for the model, within the configured bounds, so a hedge goes out only for
 * the slowest calls of a healthy region and soon for every call to a frozen one. While too few
 * answers are known the upper bound applies. Thread-safe.
 */
final class HedgeDelay {
  /** Answers a region must have given recently before its percentile is trusted. */
  static final int MIN_SAMPLES = 20;

  private final RegionPolicyRegistry policies;
  private final double percentile;
  private final Duration min;
  private final Duration max;

  HedgeDelay(RegionPolicyRegistry policies, PolicyConfig config) {
    this.policies = policies;
    this.percentile = config.hedgePercentile();
    this.min = config.hedgeMinDelay();
    this.max = config.hedgeMaxDelay();
  }

  /** The hedge delay of a call of {@code model} whose first attempt went to {@code region}. */
  Duration forRegion(String region, String model) {
    Duration observed =
        policies.forRoute(region, model).latency().percentile(percentile, MIN_SAMPLES).orElse(max);
    if (observed.compareTo(min) < 0) {
      return min;
    }
    return observed.compareTo(max) > 0 ? max : observed;
  }
}
