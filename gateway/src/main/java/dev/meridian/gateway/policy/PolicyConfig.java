package dev.meridian.gateway.policy;

import dev.meridian.gateway.outlier.OutlierConfig;
import java.time.Duration;

/**
 * The gateway's resilience settings, validated when built; every error names the config key.
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

  /** Validates every setting. */
  public PolicyConfig {
    require(maxAttempts >= 1, "retry.max-attempts", maxAttempts, ">= 1");
    require(positive(backoffInitial), "retry.backoff-initial", backoffInitial, "> 0");
    require(
        backoffMax.compareTo(backoffInitial) >= 0,
        "retry.backoff-max",
        backoffMax,
        ">= retry.backoff-initial");
    require(jitter >= 0 && jitter <= 1, "retry.jitter", jitter, "0..1");
    require(retryRatio >= 0 && retryRatio <= 1, "retry.budget-ratio", retryRatio, "0..1");
    require(minRetriesPerSecond >= 0, "retry.budget-min-per-second", minRetriesPerSecond, ">= 0");
    require(positive(attemptTimeout), "attempt-timeout", attemptTimeout, "> 0");
    require(!minAttemptTime.isNegative(), "min-attempt-time", minAttemptTime, ">= 0");
    require(maxTransparentRetries >= 0, "retry.transparent-max", maxTransparentRetries, ">= 0");
    require(
        hedgePercentile > 0 && hedgePercentile <= 100,
        "hedging.percentile",
        hedgePercentile,
        "> 0 and <= 100");
    require(positive(hedgeMinDelay), "hedging.min-delay", hedgeMinDelay, "> 0");
    require(
        hedgeMaxDelay.compareTo(hedgeMinDelay) >= 0,
        "hedging.max-delay",
        hedgeMaxDelay,
        ">= hedging.min-delay");
    require(positive(latencyWindow), "latency-window", latencyWindow, "> 0");
    require(
        breakerFailureRatePercent >= 1 && breakerFailureRatePercent <= 100,
        "breaker.failure-rate",
        breakerFailureRatePercent,
        "1..100");
    require(breakerMinCalls >= 1, "breaker.min-calls", breakerMinCalls, ">= 1");
    require(positive(breakerWindow), "breaker.window", breakerWindow, "> 0");
    require(positive(breakerSlowCall), "breaker.slow-call", breakerSlowCall, "> 0");
    require(positive(breakerOpenDelay), "breaker.open-delay", breakerOpenDelay, "> 0");
    require(breakerTrialCalls >= 1, "breaker.trial-calls", breakerTrialCalls, ">= 1");
    require(
        breakerConsecutiveFailures >= 1,
        "breaker.consecutive-failures",
        breakerConsecutiveFailures,
        ">= 1");
    require(bulkheadMaxConcurrent >= 1, "bulkhead.max-concurrent", bulkheadMaxConcurrent, ">= 1");
    require(!bulkheadMaxWait.isNegative(), "bulkhead.max-wait", bulkheadMaxWait, ">= 0");
    require(fallbackMaxConcurrent >= 1, "fallback.max-concurrent", fallbackMaxConcurrent, ">= 1");
  }

  /** The defaults documented in the README. */
  public static PolicyConfig defaults() {
    return builder().build();
  }

  /** Starts a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  private static boolean positive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  private static void require(boolean condition, String key, Object value, String expected) {
    if (!condition) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: " + expected + ")");
    }
  }

  /** Builds a {@link PolicyConfig}, starting from the defaults; not thread-safe. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration backoffInitial = Duration.ofMillis(10);
    private Duration backoffMax = Duration.ofMillis(200);
    private double jitter = 0.5;
    private double retryRatio = 0.2;
    private int minRetriesPerSecond = 10;
    private Duration attemptTimeout = Duration.ofSeconds(2);
    private Duration minAttemptTime = Duration.ofMillis(5);
    private int maxTransparentRetries = 3;
    private boolean hedging = true;
    private double hedgePercentile = 99;
    private Duration hedgeMinDelay = Duration.ofMillis(10);
    private Duration hedgeMaxDelay = Duration.ofMillis(250);
    private Duration latencyWindow = Duration.ofSeconds(5);
    private int breakerFailureRatePercent = 50;
    private int breakerMinCalls = 10;
    private Duration breakerWindow = Duration.ofSeconds(10);
    private Duration breakerSlowCall = Duration.ofSeconds(1);
    private Duration breakerOpenDelay = Duration.ofSeconds(5);
    private int breakerTrialCalls = 3;
    private int breakerConsecutiveFailures = 5;
    private int bulkheadMaxConcurrent = 256;
    private Duration bulkheadMaxWait = Duration.ZERO;
    private int fallbackMaxConcurrent = 64;
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
