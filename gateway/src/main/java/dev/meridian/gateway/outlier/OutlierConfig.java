package dev.meridian.gateway.outlier;

import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * Passive outlier detection settings (after Envoy's outlier detection), {@code policies.outlier} in
 * the gateway's file; each key stated once as a {@link Setting}.
 *
 * @param consecutiveFailures attempts in a row that failed at the replica (errors, attempt
 *     timeouts, attempts that lost to their hedge) before it is ejected
 * @param baseEjection how long a first ejection lasts; the n-th ejection in a row lasts n times as
 *     long
 * @param maxEjection the longest an ejection lasts
 * @param maxEjectedPercent the largest share of a region's replicas of a model that failed attempts
 *     may eject; connection failures are facts and eject whatever the share
 * @param livenessInterval how often each connected replica is asked whether it answers
 * @param livenessTimeout how long a replica may take to answer it before it is ejected as frozen
 */
public record OutlierConfig(
    int consecutiveFailures,
    Duration baseEjection,
    Duration maxEjection,
    int maxEjectedPercent,
    Duration livenessInterval,
    Duration livenessTimeout) {
  private static final String P = "policies.outlier.";

  /** {@code policies.outlier.consecutive-failures}. */
  public static final Setting<Integer> CONSECUTIVE_FAILURES =
      Setting.integer(P + "consecutive-failures", 1, Integer.MAX_VALUE)
          .withDefault(5)
          .means(
              "failed attempts in a row (errors, attempt timeouts, attempts that lost to their"
                  + " hedge) that eject a replica");

  /** {@code policies.outlier.base-ejection}. */
  public static final Setting<Duration> BASE_EJECTION =
      Setting.duration(P + "base-ejection", Duration.ofMillis(1))
          .withDefault(Duration.ofSeconds(2))
          .means(
              "the n-th ejection in a row lasts n times this; a refused connection ejects at once");

  /** {@code policies.outlier.max-ejection}. */
  public static final Setting<Duration> MAX_EJECTION =
      Setting.duration(P + "max-ejection", Duration.ofMillis(1))
          .withDefault(Duration.ofSeconds(30))
          .means("the longest an ejection lasts; at least `base-ejection`");

  /** {@code policies.outlier.max-ejected-percent}. */
  public static final Setting<Integer> MAX_EJECTED_PERCENT =
      Setting.integer(P + "max-ejected-percent", 0, 100)
          .withDefault(50)
          .means(
              "failed attempts never eject more than this share of a region's replicas of a model");

  /** {@code policies.outlier.liveness-interval}. */
  public static final Setting<Duration> LIVENESS_INTERVAL =
      Setting.duration(P + "liveness-interval", Duration.ofMillis(1))
          .withDefault(Duration.ofMillis(500))
          .means("each connected replica is asked a `grpc.health.v1` Check this often...");

  /** {@code policies.outlier.liveness-timeout}. */
  public static final Setting<Duration> LIVENESS_TIMEOUT =
      Setting.duration(P + "liveness-timeout", Duration.ofMillis(1))
          .withDefault(Duration.ofSeconds(1))
          .means("...and ejected until it answers when it does not answer within this");

  /** Every key of the section. */
  public static final List<Setting<?>> SETTINGS =
      List.of(
          CONSECUTIVE_FAILURES,
          BASE_EJECTION,
          MAX_EJECTION,
          MAX_EJECTED_PERCENT,
          LIVENESS_INTERVAL,
          LIVENESS_TIMEOUT);

  /** The defaults. */
  public static final OutlierConfig DEFAULTS =
      new OutlierConfig(
          CONSECUTIVE_FAILURES.defaultValue(),
          BASE_EJECTION.defaultValue(),
          MAX_EJECTION.defaultValue(),
          MAX_EJECTED_PERCENT.defaultValue(),
          LIVENESS_INTERVAL.defaultValue(),
          LIVENESS_TIMEOUT.defaultValue());

  /** Checks every setting, and the rule between them. */
  public OutlierConfig {
    CONSECUTIVE_FAILURES.check(consecutiveFailures);
    BASE_EJECTION.check(baseEjection);
    MAX_EJECTION.check(maxEjection);
    if (maxEjection.compareTo(baseEjection) < 0) {
      throw MAX_EJECTION.invalid(maxEjection, ">= " + BASE_EJECTION.key());
    }
    MAX_EJECTED_PERCENT.check(maxEjectedPercent);
    LIVENESS_INTERVAL.check(livenessInterval);
    LIVENESS_TIMEOUT.check(livenessTimeout);
  }

  /** Reads the {@code policies.outlier} section. */
  public static OutlierConfig read(ConfigNode outlier) {
    return new OutlierConfig(
        CONSECUTIVE_FAILURES.read(outlier),
        BASE_EJECTION.read(outlier),
        MAX_EJECTION.read(outlier),
        MAX_EJECTED_PERCENT.read(outlier),
        LIVENESS_INTERVAL.read(outlier),
        LIVENESS_TIMEOUT.read(outlier));
  }
}
