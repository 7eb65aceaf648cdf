package dev.meridian.gateway.call;

import dev.meridian.proto.inference.v1.FeatureSources;
import io.grpc.Status;
import java.time.Duration;

/** Hears what calls and attempts do, for metrics. Implementations must be thread-safe and fast. */
public interface CallListener {
  /** An attempt to {@code region} ended with {@code status} after {@code elapsed}. */
  void attempt(String model, String region, Status.Code status, Duration elapsed);

  /** A region refused an attempt before any upstream call: breaker open or bulkhead full. */
  void refused(String model, String region, String why);

  /** A call's retry was not made: the retry budget, which retries and hedges share, was spent. */
  void retryRefused(String model);

  /** A call still unanswered after the hedge delay was also sent to another region. */
  void hedged(String model);

  /** A call was answered with features looked up in the region, from these sources. */
  void features(String model, FeatureSources sources);

  /**
   * A call ended.
   *
   * @param outcome how it was served ({@code PRIMARY}, {@code RETRY}, {@code HEDGE}, {@code
   *     FALLBACK_MODEL}, {@code DEFAULT_RESPONSE}) or the status code it failed with
   */
  void call(String model, String outcome, int attempts, Duration elapsed);

  /**
   * A call of {@code model} was answered degraded ({@code FALLBACK_MODEL} or {@code
   * DEFAULT_RESPONSE}); {@code avoidable} when a region the call had not tried could have answered
   * it, which is a defect.
   */
  void degraded(String model, String path, boolean avoidable);
}
