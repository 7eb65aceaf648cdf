package dev.meridian.gateway.call;

import dev.failsafe.Bulkhead;
import dev.failsafe.spi.Scheduler;
import dev.meridian.core.CallerText;
import dev.meridian.core.LogValue;
import dev.meridian.core.Ticker;
import dev.meridian.core.logging.CallLines;
import dev.meridian.core.tracing.Tracing;
import dev.meridian.gateway.outlier.OutlierDetector;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import dev.meridian.gateway.policy.RetryBudget;
import dev.meridian.gateway.routing.ChannelCache;
import dev.meridian.gateway.routing.RegionSelector;
import dev.meridian.gateway.routing.ReplicaPicker;
import dev.meridian.gateway.routing.RoutingState;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.inference.v1.ServingPath;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway call from start to answer: the primary path across regions, then, when no region could
 * answer, the model's fallback model, then its default response, each labelled with how it was
 * served and why. Errors a model gave (bad input, unknown version) go back to the caller as they
 * are. Thread-safe.
 */
public final class PredictPipeline {
  private static final Logger logger = LoggerFactory.getLogger(PredictPipeline.class);

  private final PrimaryPath primary;
  private final FallbackPath fallback;
  private final RegionSelector regions;
  private final RetryBudget budget;
  private final CallListener listener;
  private final CallSpans spans;
  private final Ticker ticker;
  private final String region;

  PredictPipeline(
      PrimaryPath primary,
      FallbackPath fallback,
      RegionSelector regions,
      RetryBudget budget,
      CallListener listener,
      CallSpans spans,
      Ticker ticker,
      String region) {
    this.primary = primary;
    this.fallback = fallback;
    this.regions = regions;
    this.budget = budget;
    this.listener = listener;
    this.spans = spans;
    this.ticker = ticker;
    this.region = region;
  }

  /**
   * Wires a pipeline over the gateway's routing state and its choice of regions and replicas.
   *
   * @param regions every region the gateway may call
   * @param region the gateway's own region, in which its default responses are answered
   * @param scheduler runs retry delays and hedge timers
   * @param tracing records a span per attempt and carries trace context to the replicas
   */
  public static PredictPipeline create(
      RoutingState state,
      ReplicaPicker replicas,
      RegionSelector selector,
      ChannelCache channels,
      OutlierDetector outliers,
      RegionPolicyRegistry policies,
      RetryBudget budget,
      PolicyConfig config,
      List<String> regions,
      String region,
      Scheduler scheduler,
      Ticker ticker,
      CallListener listener,
      Tracing tracing) {
    CallSpans spans = new CallSpans(tracing);
    RegionAttempt attempts =
        new RegionAttempt(
            selector, replicas, channels, policies, budget, outliers, config, ticker, listener,
            spans);
    PrimaryPath primary =
        new PrimaryPath(attempts, config, scheduler, new HedgeDelay(policies, config), listener);
    return new PredictPipeline(
        primary,
        new FallbackPath(
            primary, state, Bulkhead.builder(config.fallbackMaxConcurrent()).build(), regions),
        selector,
        budget,
        listener,
        spans,
        ticker,
        region);
  }

  /**
   * Answers {@code request}.
   *
   * @param table the model's routing table, if the gateway has one
   * @param deadline the caller's deadline (or the default one)
   * @param callerContext the caller's gRPC context, whose cancellation cancels upstream calls
   * @return the answer, or a failure with the status to give the caller
   */
  public CompletableFuture<PredictResponse> predict(
      PredictRequest request,
      ModelPolicy model,
      Optional<RoutingTable> table,
      Deadline deadline,
      Context callerContext) {
    long start = ticker.nanoTime();
    CallState call =
        new CallState(
            request,
            table.orElseGet(() -> RoutingTable.newBuilder().setModelName(model.name()).build()),
            deadline,
            callerContext);
    if (table.isEmpty()) {
      call.failed("no routing table for model '" + model.name() + "'");
    }
    budget.recordCall();
    CompletableFuture<PredictResponse> result =
        primary
            .run(call)
            .exceptionallyCompose(error -> degrade(call, model, Failures.unwrap(error)));
    return result.whenComplete(
        (response, error) -> {
          String outcome =
              error == null
                  ? response.getServedBy().getPath().name().replace("SERVING_PATH_", "")
                  : Status.fromThrowable(error).getCode().name();
          spans.ended(call, outcome);
          listener.call(
              model.name(),
              outcome,
              call.upstreamCalls(),
              Duration.ofNanos(ticker.nanoTime() - start));
          if (error == null && response.hasFeatures()) {
            listener.features(response.getModelName(), response.getFeatures());
          }
        });
  }

  private CompletableFuture<PredictResponse> degrade(
      CallState call, ModelPolicy model, AttemptFailure failure) {
    if (failure.answeredByModel() || call.callerContext().isCancelled()) {
      return CompletableFuture.failedFuture(failure.status().asRuntimeException());
    }
    if (!failure.retryable()) {
      // Why no further attempt was made (budget, deadline, no region left) belongs in the reason.
      call.failed(failure.getMessage());
    }
    if (model.fallbackModel().isPresent()) {
      String fallbackModel = model.fallbackModel().get();
      return fallback
          .run(call, fallbackModel)
          .thenApply(
              response -> {
                degraded(
                    call,
                    model,
                    "FALLBACK_MODEL",
                    fallbackModel,
                    response.getServedBy().getRegion());
                return response;
              })
          .exceptionallyCompose(
              error -> {
                call.failed("fallback: " + Failures.unwrap(error).getMessage());
                return defaultOrFail(call, model, failure);
              });
    }
    return defaultOrFail(call, model, failure);
  }

  private CompletableFuture<PredictResponse> defaultOrFail(
      CallState call, ModelPolicy model, AttemptFailure failure) {
    if (model.defaultOutputs().isPresent()) {
      degraded(call, model, "DEFAULT_RESPONSE", model.name(), region);
      return CompletableFuture.completedFuture(
          PredictResponse.newBuilder()
              .setModelName(model.name())
              .setRequestId(call.request().getRequestId())
              .addAllOutputs(model.defaultOutputs().get())
              .setServedBy(
                  ServedBy.newBuilder()
                      .setPath(ServingPath.SERVING_PATH_DEFAULT_RESPONSE)
                      .setAttempts(call.upstreamCalls())
                      .setReason("no region could answer: " + call.fullSummary()))
              .build());
    }
    Status.Code code = Status.Code.UNAVAILABLE;
    if (call.deadline().isExpired()) {
      code = Status.Code.DEADLINE_EXCEEDED;
    } else if (call.onlyFailedWith(Status.Code.RESOURCE_EXHAUSTED)) {
      code = Status.Code.RESOURCE_EXHAUSTED;
    }
    return CompletableFuture.failedFuture(
        Status.fromCode(code)
            .withDescription(
                "no region could answer model "
                    + CallerText.quoted(model.name())
                    + ": "
                    + (call.fullSummary().isEmpty() ? failure.getMessage() : call.fullSummary()))
            .asRuntimeException());
  }

  /**
   * Counts and logs a degraded answer of {@code servedModel}, given by {@code answeredIn} (the
   * region that ran the fallback model, or this gateway's for its default response).
   */
  private void degraded(
      CallState call, ModelPolicy model, String path, String servedModel, String answeredIn) {
    boolean avoidable =
        regions.untriedRegionCouldAnswer(
            call.table(), call.triedOrRefusedRegions(), call.triedReplicas());
    listener.degraded(model.name(), path, avoidable);
    // Runs in whichever callback completed the call: the trace comes from the call's own context.
    CallLines.about(
            logger.atInfo(),
            call.callerContext(),
            call.request().getRequestId(),
            servedModel,
            answeredIn)
        .addKeyValue("event", "degraded_answer")
        .addKeyValue("path", path)
        .addKeyValue("avoidable", avoidable)
        .addKeyValue("reason", LogValue.bounded(call.fullSummary()))
        .log("degraded answer");
  }
}
