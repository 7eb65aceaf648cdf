package dev.meridian.gateway.call;

import dev.meridian.core.Ticker;
import dev.meridian.gateway.outlier.OutlierDetector;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.gateway.policy.RegionPolicies;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import dev.meridian.gateway.policy.RetryBudget;
import dev.meridian.gateway.policy.RetryableStatus;
import dev.meridian.gateway.routing.ChannelCache;
import dev.meridian.gateway.routing.RegionSelector;
import dev.meridian.gateway.routing.ReplicaEndpoint;
import dev.meridian.gateway.routing.ReplicaPicker;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.routing.v1.RegionRoute;
import io.grpc.Deadline;
import io.grpc.Status;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one attempt of a call: chooses the fittest region and replica the call has not tried, passes
 * the region's bulkhead and the model's breaker there (a refusal moves on to the next region at no
 * cost), calls the replica with a deadline sized from what the caller has left, and records the
 * outcome in the policies and the outlier detection. An upstream call that never reached a server
 * ejects its replica and is sent elsewhere at once, free of the retry budget, a bounded number of
 * times per call. A failure is classified as an {@link AttemptFailure}. Thread-safe.
 */
final class RegionAttempt {
  private final RegionSelector regions;
  private final ReplicaPicker replicas;
  private final ChannelCache channels;
  private final RegionPolicyRegistry policies;
  private final RetryBudget budget;
  private final OutlierDetector outliers;
  private final PolicyConfig config;
  private final Ticker ticker;
  private final CallListener listener;
  private final CallSpans spans;

  RegionAttempt(
      RegionSelector regions,
      ReplicaPicker replicas,
      ChannelCache channels,
      RegionPolicyRegistry policies,
      RetryBudget budget,
      OutlierDetector outliers,
      PolicyConfig config,
      Ticker ticker,
      CallListener listener,
      CallSpans spans) {
    this.regions = regions;
    this.replicas = replicas;
    this.channels = channels;
    this.policies = policies;
    this.budget = budget;
    this.outliers = outliers;
    this.config = config;
    this.ticker = ticker;
    this.listener = listener;
    this.spans = spans;
  }

  /** Starts an attempt; the future fails with an {@link AttemptFailure}. */
  CompletableFuture<PredictResponse> start(CallState call) {
    call.attemptStarted();
    return startOrFail(call);
  }

  private CompletableFuture<PredictResponse> startOrFail(CallState call) {
    CompletableFuture<PredictResponse> attempt;
    try {
      attempt = startOrThrow(call);
    } catch (AttemptFailure failure) {
      return CompletableFuture.failedFuture(failure);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(
          AttemptFailure.exhausted(Status.CANCELLED, "interrupted"));
    }
    return Cancellation.linked(
        attempt.exceptionallyCompose(
            error -> {
              AttemptFailure failure = Failures.unwrap(error);
              if (failure.neverReachedServer()
                  && call.neverReachedCount() <= config.maxTransparentRetries()) {
                return startOrFail(call); // free: nothing was sent, so nothing is retried
              }
              return CompletableFuture.failedFuture(failure);
            }),
        attempt);
  }

  private CompletableFuture<PredictResponse> startOrThrow(CallState call)
      throws InterruptedException {
    String model = call.request().getModelName();
    Set<String> refused = new HashSet<>();
    boolean paid = false;
    while (true) {
      long remainingNanos = call.deadline().timeRemaining(TimeUnit.NANOSECONDS);
      if (remainingNanos < config.minAttemptTime().toNanos()) {
        throw AttemptFailure.exhausted(
            Status.DEADLINE_EXCEEDED, "too little time left for another attempt");
      }
      Optional<String> choice =
          regions.pick(
              call.table(),
              call.triedRegions(),
              call.triedReplicas(),
              refused,
              Duration.ofNanos(remainingNanos));
      if (choice.isEmpty()) {
        throw AttemptFailure.exhausted(
            Status.UNAVAILABLE, "no untried region with a healthy replica");
      }
      String region = choice.get();
      // The best the region has now; its grade may have changed since it was chosen.
      Optional<ReplicaEndpoint> replica = replicas.pick(region, model, call.triedReplicas());
      if (replica.isEmpty()) {
        refused.add(region); // its last replica was taken by a concurrent attempt of this call
        continue;
      }
      RegionPolicies route = policies.forRoute(region, model);
      if (!paid && call.nextCallIsRetry()) {
        if (!budget.tryAcquireRetry()) {
          listener.retryRefused(model);
          throw AttemptFailure.exhausted(Status.UNAVAILABLE, "retry budget exhausted");
        }
        paid = true; // once per attempt, however many regions refuse it
      }
      switch (route.admit()) {
        case BREAKER_OPEN -> {
          refuse(call, refused, region, Status.Code.UNAVAILABLE, "circuit breaker open");
          // With no other region to go to, an open breaker is no reason to answer degraded: a
          // stall of the gateway itself opens every breaker at once, and trying beats failing.
          // Once per region and call, so that regions that do fail leave the fallback its time.
          if (!regions.untriedRegionCouldAnswer(
                  call.table(), call.triedOrRefusedRegions(), call.triedReplicas())
              && call.claimAttemptPastOpenBreaker(region)
              && route.admitPastOpenBreaker()) {
            return call(call, route, replica.get(), remainingNanos);
          }
        }
        case BULKHEAD_FULL ->
            refuse(call, refused, region, Status.Code.RESOURCE_EXHAUSTED, "bulkhead full");
        case ADMITTED -> {
          return call(call, route, replica.get(), remainingNanos);
        }
      }
    }
  }

  private void refuse(
      CallState call, Set<String> refused, String region, Status.Code code, String why) {
    listener.refused(call.request().getModelName(), region, why);
    call.refused(region, code, why);
    refused.add(region);
  }

  private CompletableFuture<PredictResponse> call(
      CallState call, RegionPolicies route, ReplicaEndpoint replica, long remainingNanos) {
    call.tried(replica.region());
    call.triedReplica(replica.id());
    call.calledUpstream();
    // Leave the caller time for one more attempt, unless this is the last one allowed or there is
    // nowhere else to make it.
    boolean another = call.attemptsStarted() < config.maxAttempts() && hasAnotherReplica(call);
    long share = another ? remainingNanos / 2 : remainingNanos;
    Deadline attemptDeadline =
        Deadline.after(Math.min(share, config.attemptTimeout().toNanos()), TimeUnit.NANOSECONDS);
    CallSpans.Attempt span = spans.start(call, replica);
    long startNanos = ticker.nanoTime();
    CompletableFuture<PredictResponse> upstream =
        UpstreamCall.start(
            channels.channel(replica),
            replica,
            call.request(),
            attemptDeadline,
            call.callerContext(),
            span.headers());
    // Its own future, not one derived from the RPC's: the outcome must be recorded (and the
    // permits released) even when the attempt is cancelled, and a derived stage that is
    // cancelled never runs.
    CompletableFuture<PredictResponse> outcome = new CompletableFuture<>();
    upstream.whenComplete(
        (response, error) -> {
          Duration elapsed = Duration.ofNanos(ticker.nanoTime() - startNanos);
          Status status = error == null ? Status.OK : Reachability.statusOf(error);
          listener.attempt(route.model(), route.region(), status.getCode(), elapsed);
          if (error == null) {
            call.gotAnswer();
            route.recordSuccess(elapsed);
            outliers.answered(replica.id());
            span.answered();
            outcome.complete(response);
          } else {
            boolean cancelledHere = upstream.isCancelled();
            AttemptFailure failure = classify(call, route, replica, status, cancelledHere);
            span.failed(
                status,
                failure.getMessage(),
                cancelledHere || failure.status().getCode() == Status.Code.CANCELLED);
            outcome.completeExceptionally(failure);
          }
        });
    return Cancellation.linked(outcome, upstream);
  }

  /**
   * Classifies a failed upstream call and records it.
   *
   * @param cancelledHere whether this gateway cancelled it: another attempt answered first, or the
   *     caller left
   */
  private AttemptFailure classify(
      CallState call,
      RegionPolicies route,
      ReplicaEndpoint replica,
      Status status,
      boolean cancelledHere) {
    String where = replica.region() + " (" + replica.id() + ")";
    if (call.answered() && (cancelledHere || status.getCode() == Status.Code.CANCELLED)) {
      // Another attempt of the call answered first, so this one was slower than the hedge
      // delay, the region's high percentile. In a row, that is a frozen or sick replica. It may
      // end cancelled by this gateway or, when the answer reached the caller first, by the
      // caller's context closing with the call: a race that must not decide the verdict.
      route.recordTooSlow();
      outliers.failed(replica.id(), peers(replica, route.model()));
      return AttemptFailure.exhausted(status, where + ": slower than its hedge");
    }
    if (cancelledHere || call.callerContext().isCancelled()) {
      route.recordNoAnswer();
      return AttemptFailure.exhausted(Status.CANCELLED, "cancelled by the caller");
    }
    if (Reachability.neverReachedServer(status)) {
      route.recordNoAnswer();
      outliers.eject(replica.id(), OutlierDetector.Cause.CONNECT_FAILURE);
      call.neverReached();
      AttemptFailure failure = AttemptFailure.neverReached(status, where);
      call.failed(status.getCode(), failure.getMessage());
      return failure;
    }
    // A CANCELLED the server sent (it reset the stream, shutting down) speaks against it too, as
    // does a connection that broke under the call, whatever its code: the model never answered.
    if (RetryableStatus.isRetryable(status.getCode())
        || status.getCode() == Status.Code.CANCELLED
        || Reachability.connectionFailed(status)) {
      if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
        route.recordTooSlow();
      } else {
        route.recordFailure();
      }
      outliers.failed(replica.id(), peers(replica, route.model()));
      AttemptFailure failure = AttemptFailure.retryable(status, where);
      call.failed(status.getCode(), failure.getMessage());
      return failure;
    }
    route.recordModelError();
    outliers.answered(replica.id());
    return AttemptFailure.answered(status);
  }

  /** Whether a replica the call has not tried (this one is marked tried) serves its model. */
  private boolean hasAnotherReplica(CallState call) {
    Set<String> tried = call.triedReplicas();
    String model = call.request().getModelName();
    for (RegionRoute route : call.table().getRegionsList()) {
      if (replicas.hasUntried(route.getRegion(), model, tried)) {
        return true;
      }
    }
    return false;
  }

  private List<String> peers(ReplicaEndpoint replica, String model) {
    return replicas.untried(replica.region(), model, Set.of()).stream()
        .map(ReplicaEndpoint::id)
        .toList();
  }
}
