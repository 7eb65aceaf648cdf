package dev.meridian.gateway.outlier;

import java.time.Duration;

/**
 * Passive outlier detection settings (after Envoy's outlier detection), validated when built; every
 * error names the config key under {@code policies.outlier}.
 *
 * @param consecutiveFailures attempts in a row that failed at the replica (errors, attempt
 *     timeouts, attempts that lost to their hedge) before it is ejected ({@code
 *     consecutive-failures})
 * @param baseEjection how long a first ejection lasts; the n-th ejection in a row lasts n times as
 *     long ({@code base-ejection})
 * @param maxEjection the longest an ejection lasts ({@code max-ejection})
 * @param maxEjectedPercent the largest share of a region's replicas of a model that failed attempts
 *     may eject; connection failures are facts and eject whatever the share ({@code
 *     max-ejected-percent})
 * @param livenessInterval how often each connected replica is asked whether it answers ({@code
 *     liveness-interval})
 * @param livenessTimeout how long a replica may take to answer it before it is ejected as frozen
 *     ({@code liveness-timeout})
 */
public record OutlierConfig(
    int consecutiveFailures,
    Duration baseEjection,
    Duration maxEjection,
    int maxEjectedPercent,
    Duration livenessInterval,
    Duration livenessTimeout) {
  /** The defaults documented in the README. */
  public static final OutlierConfig DEFAULTS =
      new OutlierConfig(
          5,
          Duration.ofSeconds(2),
          Duration.ofSeconds(30),
          50,
          Duration.ofMillis(500),
          Duration.ofSeconds(1));

  /** Validates every setting. */
  public OutlierConfig {
    require(consecutiveFailures >= 1, "consecutive-failures", consecutiveFailures, ">= 1");
    require(positive(baseEjection), "base-ejection", baseEjection, "> 0");
    require(
        maxEjection.compareTo(baseEjection) >= 0, "max-ejection", maxEjection, ">= base-ejection");
    require(
        maxEjectedPercent >= 0 && maxEjectedPercent <= 100,
        "max-ejected-percent",
        maxEjectedPercent,
        "0..100");
    require(positive(livenessInterval), "liveness-interval", livenessInterval, "> 0");
    require(positive(livenessTimeout), "liveness-timeout", livenessTimeout, "> 0");
  }

  private static boolean positive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  private static void require(boolean condition, String key, Object value, String expected) {
    if (!condition) {
      throw new IllegalArgumentException(
          "outlier." + key + ": " + value + " (expected: " + expected + ")");
    }
  }
}
