package dev.meridian.agent.features;

import java.time.Duration;
import java.util.Objects;

/**
 * One feature a model's input is assembled from, and how old its value may be.
 *
 * @param name the feature's field in the entity's hash
 * @param defaultValue the value used when no store and no cached value has it in time
 * @param maxAge values older than this are stale: used, and counted and labelled as stale
 * @param hardLimit values older than this are treated as missing; at least {@code maxAge}
 */
public record FeatureSpec(String name, double defaultValue, Duration maxAge, Duration hardLimit) {
  /** Checks the ages' order. */
  public FeatureSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(hardLimit, "hardLimit");
    if (hardLimit.compareTo(maxAge) < 0) {
      throw new IllegalArgumentException(
          "feature '" + name + "': hard-limit " + hardLimit + " is below max-age " + maxAge);
    }
  }

  /** Whether a value {@code ageMillis} old may still be used. */
  boolean usable(long ageMillis) {
    return ageMillis <= hardLimit.toMillis();
  }

  /** Whether a value {@code ageMillis} old is stale. */
  boolean stale(long ageMillis) {
    return ageMillis > maxAge.toMillis();
  }
}
