package dev.meridian.gateway.call;

import dev.meridian.core.Ticker;
import dev.meridian.gateway.policy.RegionPolicies;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import dev.meridian.gateway.policy.RetryBudget;
import dev.meridian.gateway.policy.RetryableStatus;
import dev.meridian.gateway.routing.ChannelCache;
import dev.meridian.gateway.routing.RegionSelector;
import dev.meridian.gateway.routing.ReplicaEndpoint;
import dev.meridian.gateway.routing.ReplicaPicker;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.Deadline;
import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one attempt of a call: picks a region not yet tried, passes its breaker and bulkhead, calls
 * one of its replicas with the attempt's own deadline, and records the outcome in the region's
 * policies. A failure is classified as an {@link AttemptFailure}. Thread-safe.
 */
final class RegionAttempt {
  private final RegionSelector regions;
  private final ReplicaPicker replicas;
  private final ChannelCache channels;
  private final RegionPolicyRegistry policies;
  private final RetryBudget budget;
  private final Duration attemptTimeout;
  private final Duration minAttemptTime;
  private final Ticker ticker;
  private final CallListener listener;

  RegionAttempt(
      RegionSelector regions,
      ReplicaPicker replicas,
      ChannelCache channels,
      RegionPolicyRegistry policies,
      RetryBudget budget,
      Duration attemptTimeout,
      Duration minAttemptTime,
      Ticker ticker,
      CallListener listener) {
    this.regions = regions;
    this.replicas = replicas;
    this.channels = channels;
    this.policies = policies;
    this.budget = budget;
    this.attemptTimeout = attemptTimeout;
    this.minAttemptTime = minAttemptTime;
    this.ticker = ticker;
    this.listener = listener;
  }

  /** Starts an attempt; the future fails with an {@link AttemptFailure}. */
  CompletableFuture<PredictResponse> start(CallState call) {
    try {
      return startOrThrow(call);
    } catch (AttemptFailure failure) {
      return CompletableFuture.failedFuture(failure);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(
          AttemptFailure.exhausted(Status.CANCELLED, "interrupted"));
    }
  }

  private CompletableFuture<PredictResponse> startOrThrow(CallState call)
      throws InterruptedException {
    long remainingNanos = call.deadline().timeRemaining(TimeUnit.NANOSECONDS);
    if (remainingNanos < minAttemptTime.toNanos()) {
      throw AttemptFailure.exhausted(
          Status.DEADLINE_EXCEEDED, "too little time left for another attempt");
    }
    String model = call.request().getModelName();
    Optional<String> pick = regions.pick(call.table(), call.triedRegions(), call.triedReplicas());
    if (pick.isEmpty()) {
      throw AttemptFailure.exhausted(
          Status.UNAVAILABLE, "no untried region with a healthy replica");
    }
    String region = pick.get();
    call.tried(region);
    RegionPolicies regionPolicies = policies.forRegion(region);
    switch (regionPolicies.admit()) {
      case BREAKER_OPEN -> throw refused(call, Status.UNAVAILABLE, region, "circuit breaker open");
      case BULKHEAD_FULL -> throw refused(call, Status.RESOURCE_EXHAUSTED, region, "bulkhead full");
      case ADMITTED -> {}
    }
    Optional<ReplicaEndpoint> replica = replicas.pick(region, model, call.triedReplicas());
    if (replica.isEmpty()) {
      regionPolicies.recordNeutral();
      throw failed(call, Status.UNAVAILABLE, region + ": no healthy replica");
    }
    if (call.upstreamCalls() > 0 && !budget.tryAcquireRetry()) {
      regionPolicies.recordNeutral();
      throw AttemptFailure.exhausted(Status.UNAVAILABLE, "retry budget exhausted");
    }
    Deadline attemptDeadline =
        Deadline.after(Math.min(remainingNanos, attemptTimeout.toNanos()), TimeUnit.NANOSECONDS);
    call.triedReplica(replica.get().id());
    call.calledUpstream();
    long startNanos = ticker.nanoTime();
    return UpstreamCall.start(
            channels.channel(replica.get()), call.request(), attemptDeadline, call.callerContext())
        .handle(
            (response, error) -> {
              Duration elapsed = Duration.ofNanos(ticker.nanoTime() - startNanos);
              listener.attempt(
                  model,
                  region,
                  error == null ? Status.Code.OK : Status.fromThrowable(error).getCode(),
                  elapsed);
              if (error == null) {
                regionPolicies.recordSuccess(elapsed);
                return response;
              }
              throw classify(call, regionPolicies, replica.get(), Status.fromThrowable(error));
            });
  }

  private AttemptFailure refused(CallState call, Status status, String region, String why) {
    listener.refused(call.request().getModelName(), region, why);
    return failed(call, status, region + ": " + why);
  }

  private static AttemptFailure classify(
      CallState call, RegionPolicies regionPolicies, ReplicaEndpoint replica, Status status) {
    if (status.getCode() == Status.Code.CANCELLED) {
      regionPolicies.recordNeutral();
      return AttemptFailure.exhausted(status, "cancelled");
    }
    if (RetryableStatus.isRetryable(status.getCode())) {
      regionPolicies.recordFailure();
      return failed(call, status, replica.region() + " (" + replica.id() + ")");
    }
    regionPolicies.recordNeutral();
    return AttemptFailure.answered(status);
  }

  private static AttemptFailure failed(CallState call, Status status, String where) {
    AttemptFailure failure = AttemptFailure.retryable(status, where);
    call.failed(status.getCode(), failure.getMessage());
    return failure;
  }
}
