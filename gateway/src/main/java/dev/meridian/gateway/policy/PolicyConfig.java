package dev.meridian.gateway.policy;

import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.Setting;
import dev.meridian.gateway.outlier.OutlierConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The gateway's resilience settings ({@code policies} in its file), each key stated once as a
 * {@link Setting} that reading and building check alike; every error names the config key.
 *
 * @param maxAttempts upstream attempts per call, the first included ({@code retry.max-attempts})
 * @param backoffInitial first retry delay ({@code retry.backoff-initial})
 * @param backoffMax largest retry delay ({@code retry.backoff-max})
 * @param jitter share of each delay randomised, 0..1 ({@code retry.jitter})
 * @param retryRatio retries allowed as a share of calls ({@code retry.budget-ratio})
 * @param minRetriesPerSecond retries allowed per second whatever the traffic ({@code
 *     retry.budget-min-per-second})
 * @param attemptTimeout deadline of one attempt, within the caller's ({@code attempt-timeout})
 * @param minAttemptTime no attempt starts with less time left ({@code min-attempt-time})
 * @param maxTransparentRetries attempts per call that never reached a server (connection refused,
 *     stream refused) and were sent elsewhere at once, free of the retry budget ({@code
 *     retry.transparent-max})
 * @param hedging whether a call still unanswered after the hedge delay also goes to another region
 *     ({@code hedging.enabled})
 * @param hedgePercentile the hedge delay is this percentile of the region's recent answers ({@code
 *     hedging.percentile})
 * @param hedgeMinDelay ... but at least this ({@code hedging.min-delay})
 * @param hedgeMaxDelay ... and at most this, which is also the delay while too few answers are
 *     known ({@code hedging.max-delay})
 * @param latencyWindow how long an answer's latency counts in a region's estimate, one to two
 *     windows ({@code latency-window})
 * @param breakerFailureRatePercent open a region's breaker at this failure rate ({@code
 *     breaker.failure-rate})
 * @param breakerMinCalls ... over at least this many calls ({@code breaker.min-calls})
 * @param breakerWindow ... within this window ({@code breaker.window})
 * @param breakerSlowCall calls slower than this count as failures ({@code breaker.slow-call})
 * @param breakerOpenDelay how long a breaker stays open before trial calls ({@code
 *     breaker.open-delay})
 * @param breakerTrialCalls trial calls let through while half-open ({@code breaker.trial-calls})
 * @param breakerConsecutiveFailures open a region's breaker after this many failures in a row, rate
 *     or not ({@code breaker.consecutive-failures})
 * @param bulkheadMaxConcurrent calls in flight per region ({@code bulkhead.max-concurrent})
 * @param bulkheadMaxWait how long a call waits for a region's bulkhead ({@code bulkhead.max-wait})
 * @param fallbackMaxConcurrent calls in flight on the fallback path ({@code
 *     fallback.max-concurrent})
 * @param outlier passive outlier detection per replica ({@code outlier})
 */
public record PolicyConfig(
    int maxAttempts,
    Duration backoffInitial,
    Duration backoffMax,
    double jitter,
    double retryRatio,
    int minRetriesPerSecond,
    Duration attemptTimeout,
    Duration minAttemptTime,
    int maxTransparentRetries,
    boolean hedging,
    double hedgePercentile,
    Duration hedgeMinDelay,
    Duration hedgeMaxDelay,
    Duration latencyWindow,
    int breakerFailureRatePercent,
    int breakerMinCalls,
    Duration breakerWindow,
    Duration breakerSlowCall,
    Duration breakerOpenDelay,
    int breakerTrialCalls,
    int breakerConsecutiveFailures,
    int bulkheadMaxConcurrent,
    Duration bulkheadMaxWait,
    int fallbackMaxConcurrent,
    OutlierConfig outlier) {

  private static final String P = "policies.";

  /** {@code policies.retry.max-attempts}. */
  public static final Setting<Integer> MAX_ATTEMPTS =
      Setting.integer(P + "retry.max-attempts", 1, 10)
          .withDefault(3)
          .means("attempts per call, the first included");

  /** {@code policies.retry.backoff-initial}. */
  public static final Setting<Duration> BACKOFF_INITIAL =
      Setting.duration(P + "retry.backoff-initial", Duration.ofMillis(1))
          .withDefault(Duration.ofMillis(10))
          .means("first retry delay; each next one doubles");

  /** {@code policies.retry.backoff-max}. */
  public static final Setting<Duration> BACKOFF_MAX =
      Setting.duration(P + "retry.backoff-max", Duration.ofMillis(1))
          .withDefault(Duration.ofMillis(200))
          .means("largest retry delay; more than `backoff-initial`");

  /** {@code policies.retry.jitter}. */
  public static final Setting<Double> JITTER =
      Setting.number(P + "retry.jitter", 0, 1)
          .withDefault(0.5)
          .means("share of each delay randomised");

  /** {@code policies.retry.budget-ratio}. */
  public static final Setting<Double> RETRY_RATIO =
      Setting.number(P + "retry.budget-ratio", 0, 1)
          .withDefault(0.2)
          .means("retries (and hedges) allowed as a share of the calls of the last 10 s");

  /** {@code policies.retry.budget-min-per-second}. */
  public static final Setting<Integer> MIN_RETRIES_PER_SECOND =
      Setting.integer(P + "retry.budget-min-per-second", 0, Integer.MAX_VALUE)
          .withDefault(10)
          .means("retries allowed per second whatever the traffic");

  /** {@code policies.retry.transparent-max}. */
  public static final Setting<Integer> MAX_TRANSPARENT_RETRIES =
      Setting.integer(P + "retry.transparent-max", 0, 10)
          .withDefault(3)
          .means(
              "attempts per call that never reached a server (connection refused), sent"
                  + " elsewhere at once and free of the budget");

  /** {@code policies.attempt-timeout}. */
  public static final Setting<Duration> ATTEMPT_TIMEOUT =
      Setting.duration(P + "attempt-timeout", Duration.ofMillis(1))
          .withDefault(Duration.ofSeconds(2))
          .means("deadline of one attempt, within the caller's");

  /** {@code policies.min-attempt-time}. */
  public static final Setting<Duration> MIN_ATTEMPT_TIME =
      Setting.duration(P + "min-attempt-time", Duration.ZERO)
          .withDefault(Duration.ofMillis(5))
          .means("no attempt starts with less time left");

  /** {@code policies.latency-window}. */
  public static final Setting<Duration> LATENCY_WINDOW =
      Setting.duration(P + "latency-window", Duration.ofMillis(1))
          .withDefault(Duration.ofSeconds(5))
          .means(
              "a region's latency estimate (hedge delay, deadline-aware choice) covers the last"
                  + " one to two windows of answers");

  /** {@code policies.hedging.enabled}. */
  public static final Setting<Boolean> HEDGING =
      Setting.flag(P + "hedging.enabled")
          .withDefault(true)
          .means(
              "a call unanswered after the hedge delay also goes to another replica, first"
                  + " answer wins");

  /** {@code policies.hedging.percentile}. */
  public static final Setting<Double> HEDGE_PERCENTILE =
      Setting.number(P + "hedging.percentile", 1, 100)
          .withDefault(99.0)
          .means("the hedge delay is this percentile of the region's recent answers...");

  /** {@code policies.hedging.min-delay}. */
  public static final Setting<Duration> HEDGE_MIN_DELAY =
      Setting.duration(P + "hedging.min-delay", Duration.ofMillis(1))
          .withDefault(Duration.ofMillis(10))
          .means("...but at least this");

  /** {@code policies.hedging.max-delay}. */
  public static final Setting<Duration> HEDGE_MAX_DELAY =
      Setting.duration(P + "hedging.max-delay", Duration.ofMillis(1))
          .withDefault(Duration.ofMillis(250))
          .means("...and at most this, which is the delay while fewer than 20 answers are known");

  /** {@code policies.breaker.failure-rate}. */
  public static final Setting<Integer> BREAKER_FAILURE_RATE =
      Setting.integer(P + "breaker.failure-rate", 1, 100)
          .withDefault(50)
          .means("percent of failed calls that opens a region's breaker for a model...");

  /** {@code policies.breaker.min-calls}. */
  public static final Setting<Integer> BREAKER_MIN_CALLS =
      Setting.integer(P + "breaker.min-calls", 1, Integer.MAX_VALUE)
          .withDefault(10)
          .means("...over at least this many calls...");

  /** {@code policies.breaker.window}. */
  public static final Setting<Duration> BREAKER_WINDOW =
      Setting.duration(P + "breaker.window", Duration.ofMillis(1))
          .withDefault(Duration.ofSeconds(10))
          .means("...within this window");

  /** {@code policies.breaker.slow-call}. */
  public static final Setting<Duration> BREAKER_SLOW_CALL =
      Setting.duration(P + "breaker.slow-call", Duration.ofMillis(1))
          .withDefault(Duration.ofSeconds(1))
          .means("calls slower than this count as failures");

  /** {@code policies.breaker.open-delay}. */
  public static final Setting<Duration> BREAKER_OPEN_DELAY =
      Setting.duration(P + "breaker.open-delay", Duration.ofMillis(1))
          .withDefault(Duration.ofSeconds(5))
          .means("open this long before half-open");

  /** {@code policies.breaker.trial-calls}. */
  public static final Setting<Integer> BREAKER_TRIAL_CALLS =
      Setting.integer(P + "breaker.trial-calls", 1, Integer.MAX_VALUE)
          .withDefault(3)
          .means("calls let through while half-open; only answers count as successful trials");

  /** {@code policies.breaker.consecutive-failures}. */
  public static final Setting<Integer> BREAKER_CONSECUTIVE_FAILURES =
      Setting.integer(P + "breaker.consecutive-failures", 1, Integer.MAX_VALUE)
          .withDefault(5)
          .means("failures in a row that open a breaker at once, whatever the rate");

  /** {@code policies.bulkhead.max-concurrent}. */
  public static final Setting<Integer> BULKHEAD_MAX_CONCURRENT =
      Setting.integer(P + "bulkhead.max-concurrent", 1, Integer.MAX_VALUE)
          .withDefault(256)
          .means("calls in flight per region");

  /** {@code policies.bulkhead.max-wait}. */
  public static final Setting<Duration> BULKHEAD_MAX_WAIT =
      Setting.duration(P + "bulkhead.max-wait", Duration.ZERO)
          .withDefault(Duration.ZERO)
          .means("how long a call waits for room in a region's bulkhead");

  /** {@code policies.fallback.max-concurrent}. */
  public static final Setting<Integer> FALLBACK_MAX_CONCURRENT =
      Setting.integer(P + "fallback.max-concurrent", 1, Integer.MAX_VALUE)
          .withDefault(64)
          .means("calls in flight on the fallback-model path");

  /** Every key under {@code policies}, outlier detection's included. */
  public static final List<Setting<?>> SETTINGS =
      Setting.all(
          List.of(
              ATTEMPT_TIMEOUT,
              MIN_ATTEMPT_TIME,
              LATENCY_WINDOW,
              MAX_ATTEMPTS,
              BACKOFF_INITIAL,
              BACKOFF_MAX,
              JITTER,
              RETRY_RATIO,
              MIN_RETRIES_PER_SECOND,
              MAX_TRANSPARENT_RETRIES,
              HEDGING,
              HEDGE_PERCENTILE,
              HEDGE_MIN_DELAY,
              HEDGE_MAX_DELAY,
              BREAKER_FAILURE_RATE,
              BREAKER_MIN_CALLS,
              BREAKER_WINDOW,
              BREAKER_SLOW_CALL,
              BREAKER_OPEN_DELAY,
              BREAKER_TRIAL_CALLS,
              BREAKER_CONSECUTIVE_FAILURES,
              BULKHEAD_MAX_CONCURRENT,
              BULKHEAD_MAX_WAIT,
              FALLBACK_MAX_CONCURRENT),
          OutlierConfig.SETTINGS);

  /** Checks every setting, and the rules between them. */
  public PolicyConfig {
    MAX_ATTEMPTS.check(maxAttempts);
    BACKOFF_INITIAL.check(backoffInitial);
    BACKOFF_MAX.check(backoffMax);
    if (backoffMax.compareTo(backoffInitial) <= 0) {
      throw BACKOFF_MAX.invalid(backoffMax, "more than " + BACKOFF_INITIAL.key());
    }
    JITTER.check(jitter);
    RETRY_RATIO.check(retryRatio);
    MIN_RETRIES_PER_SECOND.check(minRetriesPerSecond);
    ATTEMPT_TIMEOUT.check(attemptTimeout);
    MIN_ATTEMPT_TIME.check(minAttemptTime);
    MAX_TRANSPARENT_RETRIES.check(maxTransparentRetries);
    HEDGE_PERCENTILE.check(hedgePercentile);
    HEDGE_MIN_DELAY.check(hedgeMinDelay);
    HEDGE_MAX_DELAY.check(hedgeMaxDelay);
    if (hedgeMaxDelay.compareTo(hedgeMinDelay) < 0) {
      throw HEDGE_MAX_DELAY.invalid(hedgeMaxDelay, ">= " + HEDGE_MIN_DELAY.key());
    }
    LATENCY_WINDOW.check(latencyWindow);
    BREAKER_FAILURE_RATE.check(breakerFailureRatePercent);
    BREAKER_MIN_CALLS.check(breakerMinCalls);
    BREAKER_WINDOW.check(breakerWindow);
    BREAKER_SLOW_CALL.check(breakerSlowCall);
    BREAKER_OPEN_DELAY.check(breakerOpenDelay);
    BREAKER_TRIAL_CALLS.check(breakerTrialCalls);
    BREAKER_CONSECUTIVE_FAILURES.check(breakerConsecutiveFailures);
    BULKHEAD_MAX_CONCURRENT.check(bulkheadMaxConcurrent);
    BULKHEAD_MAX_WAIT.check(bulkheadMaxWait);
    FALLBACK_MAX_CONCURRENT.check(fallbackMaxConcurrent);
    Objects.requireNonNull(outlier, "outlier");
  }

  /**
   * Reads the {@code policies} section.
   *
   * @throws dev.meridian.core.config.ConfigException naming the file and key of a bad value
   */
  public static PolicyConfig read(ConfigNode policies) {
    ConfigNode retry = policies.child("retry");
    ConfigNode hedging = policies.child("hedging");
    ConfigNode breaker = policies.child("breaker");
    ConfigNode bulkhead = policies.child("bulkhead");
    return new PolicyConfig(
        MAX_ATTEMPTS.read(retry),
        BACKOFF_INITIAL.read(retry),
        BACKOFF_MAX.read(retry),
        JITTER.read(retry),
        RETRY_RATIO.read(retry),
        MIN_RETRIES_PER_SECOND.read(retry),
        ATTEMPT_TIMEOUT.read(policies),
        MIN_ATTEMPT_TIME.read(policies),
        MAX_TRANSPARENT_RETRIES.read(retry),
        HEDGING.read(hedging),
        HEDGE_PERCENTILE.read(hedging),
        HEDGE_MIN_DELAY.read(hedging),
        HEDGE_MAX_DELAY.read(hedging),
        LATENCY_WINDOW.read(policies),
        BREAKER_FAILURE_RATE.read(breaker),
        BREAKER_MIN_CALLS.read(breaker),
        BREAKER_WINDOW.read(breaker),
        BREAKER_SLOW_CALL.read(breaker),
        BREAKER_OPEN_DELAY.read(breaker),
        BREAKER_TRIAL_CALLS.read(breaker),
        BREAKER_CONSECUTIVE_FAILURES.read(breaker),
        BULKHEAD_MAX_CONCURRENT.read(bulkhead),
        BULKHEAD_MAX_WAIT.read(bulkhead),
        FALLBACK_MAX_CONCURRENT.read(policies.child("fallback")),
        OutlierConfig.read(policies.child("outlier")));
  }

  /** The defaults documented in the README. */
  public static PolicyConfig defaults() {
    return builder().build();
  }

  /** Starts a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PolicyConfig}, starting from the defaults; not thread-safe. */
  public static final class Builder {
    private int maxAttempts = MAX_ATTEMPTS.defaultValue();
    private Duration backoffInitial = BACKOFF_INITIAL.defaultValue();
    private Duration backoffMax = BACKOFF_MAX.defaultValue();
    private double jitter = JITTER.defaultValue();
    private double retryRatio = RETRY_RATIO.defaultValue();
    private int minRetriesPerSecond = MIN_RETRIES_PER_SECOND.defaultValue();
    private Duration attemptTimeout = ATTEMPT_TIMEOUT.defaultValue();
    private Duration minAttemptTime = MIN_ATTEMPT_TIME.defaultValue();
    private int maxTransparentRetries = MAX_TRANSPARENT_RETRIES.defaultValue();
    private boolean hedging = HEDGING.defaultValue();
    private double hedgePercentile = HEDGE_PERCENTILE.defaultValue();
    private Duration hedgeMinDelay = HEDGE_MIN_DELAY.defaultValue();
    private Duration hedgeMaxDelay = HEDGE_MAX_DELAY.defaultValue();
    private Duration latencyWindow = LATENCY_WINDOW.defaultValue();
    private int breakerFailureRatePercent = BREAKER_FAILURE_RATE.defaultValue();
    private int breakerMinCalls = BREAKER_MIN_CALLS.defaultValue();
    private Duration breakerWindow = BREAKER_WINDOW.defaultValue();
    private Duration breakerSlowCall = BREAKER_SLOW_CALL.defaultValue();
    private Duration breakerOpenDelay = BREAKER_OPEN_DELAY.defaultValue();
    private int breakerTrialCalls = BREAKER_TRIAL_CALLS.defaultValue();
    private int breakerConsecutiveFailures = BREAKER_CONSECUTIVE_FAILURES.defaultValue();
    private int bulkheadMaxConcurrent = BULKHEAD_MAX_CONCURRENT.defaultValue();
    private Duration bulkheadMaxWait = BULKHEAD_MAX_WAIT.defaultValue();
    private int fallbackMaxConcurrent = FALLBACK_MAX_CONCURRENT.defaultValue();
    private OutlierConfig outlier = OutlierConfig.DEFAULTS;

    private Builder() {}

    /** Sets {@link PolicyConfig#maxAttempts()}. */
    public Builder maxAttempts(int value) {
      this.maxAttempts = value;
      return this;
    }

    /** Sets {@link PolicyConfig#backoffInitial()}. */
    public Builder backoffInitial(Duration value) {
      this.backoffInitial = value;
      return this;
    }

    /** Sets {@link PolicyConfig#backoffMax()}. */
    public Builder backoffMax(Duration value) {
      this.backoffMax = value;
      return this;
    }

    /** Sets {@link PolicyConfig#jitter()}. */
    public Builder jitter(double value) {
      this.jitter = value;
      return this;
    }

    /** Sets {@link PolicyConfig#retryRatio()}. */
    public Builder retryRatio(double value) {
      this.retryRatio = value;
      return this;
    }

    /** Sets {@link PolicyConfig#minRetriesPerSecond()}. */
    public Builder minRetriesPerSecond(int value) {
      this.minRetriesPerSecond = value;
      return this;
    }

    /** Sets {@link PolicyConfig#attemptTimeout()}. */
    public Builder attemptTimeout(Duration value) {
      this.attemptTimeout = value;
      return this;
    }

    /** Sets {@link PolicyConfig#minAttemptTime()}. */
    public Builder minAttemptTime(Duration value) {
      this.minAttemptTime = value;
      return this;
    }

    /** Sets {@link PolicyConfig#maxTransparentRetries()}. */
    public Builder maxTransparentRetries(int value) {
      this.maxTransparentRetries = value;
      return this;
    }

    /** Sets {@link PolicyConfig#hedging()}. */
    public Builder hedging(boolean value) {
      this.hedging = value;
      return this;
    }

    /** Sets {@link PolicyConfig#hedgePercentile()}. */
    public Builder hedgePercentile(double value) {
      this.hedgePercentile = value;
      return this;
    }

    /** Sets {@link PolicyConfig#hedgeMinDelay()}. */
    public Builder hedgeMinDelay(Duration value) {
      this.hedgeMinDelay = value;
      return this;
    }

    /** Sets {@link PolicyConfig#hedgeMaxDelay()}. */
    public Builder hedgeMaxDelay(Duration value) {
      this.hedgeMaxDelay = value;
      return this;
    }

    /** Sets {@link PolicyConfig#latencyWindow()}. */
    public Builder latencyWindow(Duration value) {
      this.latencyWindow = value;
      return this;
    }

    /** Sets {@link PolicyConfig#breakerFailureRatePercent()}. */
    public Builder breakerFailureRatePercent(int value) {
      this.breakerFailureRatePercent = value;
      return this;
    }

    /** Sets {@link PolicyConfig#breakerMinCalls()}. */
    public Builder breakerMinCalls(int value) {
      this.breakerMinCalls = value;
      return this;
    }

    /** Sets {@link PolicyConfig#breakerWindow()}. */
    public Builder breakerWindow(Duration value) {
      this.breakerWindow = value;
      return this;
    }

    /** Sets {@link PolicyConfig#breakerSlowCall()}. */
    public Builder breakerSlowCall(Duration value) {
      this.breakerSlowCall = value;
      return this;
    }

    /** Sets {@link PolicyConfig#breakerOpenDelay()}. */
    public Builder breakerOpenDelay(Duration value) {
      this.breakerOpenDelay = value;
      return this;
    }

    /** Sets {@link PolicyConfig#breakerTrialCalls()}. */
    public Builder breakerTrialCalls(int value) {
      this.breakerTrialCalls = value;
      return this;
    }

    /** Sets {@link PolicyConfig#breakerConsecutiveFailures()}. */
    public Builder breakerConsecutiveFailures(int value) {
      this.breakerConsecutiveFailures = value;
      return this;
    }

    /** Sets {@link PolicyConfig#bulkheadMaxConcurrent()}. */
    public Builder bulkheadMaxConcurrent(int value) {
      this.bulkheadMaxConcurrent = value;
      return this;
    }

    /** Sets {@link PolicyConfig#bulkheadMaxWait()}. */
    public Builder bulkheadMaxWait(Duration value) {
      this.bulkheadMaxWait = value;
      return this;
    }

    /** Sets {@link PolicyConfig#fallbackMaxConcurrent()}. */
    public Builder fallbackMaxConcurrent(int value) {
      this.fallbackMaxConcurrent = value;
      return this;
    }

    /** Sets {@link PolicyConfig#outlier()}. */
    public Builder outlier(OutlierConfig value) {
      this.outlier = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the offending key
     */
    public PolicyConfig build() {
      return new PolicyConfig(
          maxAttempts,
          backoffInitial,
          backoffMax,
          jitter,
          retryRatio,
          minRetriesPerSecond,
          attemptTimeout,
          minAttemptTime,
          maxTransparentRetries,
          hedging,
          hedgePercentile,
          hedgeMinDelay,
          hedgeMaxDelay,
          latencyWindow,
          breakerFailureRatePercent,
          breakerMinCalls,
          breakerWindow,
          breakerSlowCall,
          breakerOpenDelay,
          breakerTrialCalls,
          breakerConsecutiveFailures,
          bulkheadMaxConcurrent,
          bulkheadMaxWait,
          fallbackMaxConcurrent,
          outlier);
    }
  }
}
