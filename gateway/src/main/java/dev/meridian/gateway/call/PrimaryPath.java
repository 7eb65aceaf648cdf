package dev.meridian.gateway.call;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.spi.Scheduler;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.inference.v1.ServedByOrBuilder;
import dev.meridian.proto.inference.v1.ServingPath;
import java.util.concurrent.CompletableFuture;

/**
 * The normal path of a call: attempts in regions chosen by the routing table, retried in another
 * region after a retryable failure with exponential backoff and jitter (Failsafe's retry policy),
 * within the call's deadline and the shared retry budget (which every extra upstream call draws on
 * in {@link RegionAttempt}), and hedged after a delay learned from the region's latency. The answer
 * is labelled with its region, replica, path and attempt count. Thread-safe.
 */
final class PrimaryPath {
  private final RegionAttempt attempts;

  /** The retry policy on {@code scheduler}; built once, as it holds no state of a call. */
  private final FailsafeExecutor<PredictResponse> retrying;

  private final HedgedAttempt hedging;
  private final HedgeDelay hedgeDelay;
  private final CallListener listener;

  PrimaryPath(
      RegionAttempt attempts,
      PolicyConfig config,
      Scheduler scheduler,
      HedgeDelay hedgeDelay,
      CallListener listener) {
    this.attempts = attempts;
    this.listener = listener;
    this.hedgeDelay = hedgeDelay;
    this.retrying =
        Failsafe.with(
                RetryPolicy.<PredictResponse>builder()
                    .handleIf(error -> Failures.unwrap(error).retryable())
                    .withMaxAttempts(config.maxAttempts())
                    .withBackoff(config.backoffInitial(), config.backoffMax())
                    .withJitter(config.jitter())
                    .build())
            .with(scheduler);
    this.hedging = config.hedging() ? new HedgedAttempt(scheduler) : null;
  }

  /** Runs the call's attempts until one answers or the path is exhausted. */
  CompletableFuture<PredictResponse> run(CallState call) {
    return retrying.getStageAsync(() -> attempt(call)).thenApply(response -> label(response, call));
  }

  private CompletableFuture<PredictResponse> attempt(CallState call) {
    if (hedging == null) {
      return tagged(attempts.start(call), false);
    }
    return hedging.run(
        () -> tagged(attempts.start(call), false),
        () -> {
          // Named in the reason, so a caller (and a fault test) can tell where it was stuck.
          call.failed(call.lastAttempt() + ": no answer within the hedge delay");
          listener.hedged(call.request().getModelName());
          return tagged(attempts.start(call), true);
        },
        () -> hedgeDelay.forRegion(call.lastRegion(), call.request().getModelName()));
  }

  private static CompletableFuture<PredictResponse> tagged(
      CompletableFuture<PredictResponse> attempt, boolean hedge) {
    return Cancellation.linked(attempt.thenApply(response -> tag(response, hedge)), attempt);
  }

  /** Marks a hedge's answer so the label can say so; the mark is replaced by the label. */
  private static PredictResponse tag(PredictResponse response, boolean hedge) {
    if (!hedge || lowConfidence(response.getServedBy())) {
      return response;
    }
    return response.toBuilder()
        .setServedBy(response.getServedBy().toBuilder().setPath(ServingPath.SERVING_PATH_HEDGE))
        .build();
  }

  /**
   * Labels the answer with its path, attempts and reason. The replica's own label stays when its
   * confidence rule had the fallback model answer: the reason then gives the primary's confidence
   * first, then why earlier attempts failed, if they did.
   */
  private static PredictResponse label(PredictResponse response, CallState call) {
    ServedBy.Builder servedBy = response.getServedBy().toBuilder();
    int upstreamCalls = call.upstreamCalls();
    String failures = call.failureSummary();
    if (lowConfidence(servedBy)) {
      servedBy.setReason(
          failures.isEmpty() ? servedBy.getReason() : servedBy.getReason() + "; " + failures);
    } else {
      if (servedBy.getPath() != ServingPath.SERVING_PATH_HEDGE) {
        servedBy.setPath(
            upstreamCalls <= 1 && failures.isEmpty()
                ? ServingPath.SERVING_PATH_PRIMARY
                : ServingPath.SERVING_PATH_RETRY);
      }
      servedBy.setReason(failures);
    }
    servedBy.setAttempts(upstreamCalls);
    return response.toBuilder().setServedBy(servedBy).build();
  }

  private static boolean lowConfidence(ServedByOrBuilder servedBy) {
    return servedBy.getPath() == ServingPath.SERVING_PATH_LOW_CONFIDENCE;
  }
}
