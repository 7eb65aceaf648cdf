package dev.meridian.gateway.call;

import dev.failsafe.Bulkhead;
import dev.meridian.gateway.routing.ChannelCache;
import dev.meridian.gateway.routing.ReplicaEndpoint;
import dev.meridian.gateway.routing.ReplicaPicker;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.inference.v1.ServingPath;
import io.grpc.Deadline;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first degraded path: run the model's cheaper fallback model on a healthy replica that serves
 * it, the gateway's own region first, in one attempt with what is left of the deadline. It has a
 * bulkhead of its own, so a flood of degraded calls cannot take every thread. Thread-safe.
 */
final class FallbackPath {
  private final ReplicaPicker replicas;
  private final ChannelCache channels;
  private final Bulkhead<Object> bulkhead;
  private final List<String> regionsInPreferenceOrder;

  FallbackPath(
      ReplicaPicker replicas,
      ChannelCache channels,
      Bulkhead<Object> bulkhead,
      String ownRegion,
      List<String> regions) {
    this.replicas = replicas;
    this.channels = channels;
    this.bulkhead = bulkhead;
    List<String> order = new ArrayList<>();
    order.add(ownRegion);
    regions.stream().filter(region -> !region.equals(ownRegion)).forEach(order::add);
    this.regionsInPreferenceOrder = List.copyOf(order);
  }

  CompletableFuture<PredictResponse> run(CallState call, String fallbackModel) {
    Optional<ReplicaEndpoint> replica =
        regionsInPreferenceOrder.stream()
            .map(region -> replicas.pick(region, fallbackModel, Set.of()))
            .flatMap(Optional::stream)
            .findFirst();
    if (replica.isEmpty()) {
      return CompletableFuture.failedFuture(
          AttemptFailure.exhausted(
              Status.UNAVAILABLE, "fallback model '" + fallbackModel + "' has no healthy replica"));
    }
    if (!bulkhead.tryAcquirePermit()) {
      return CompletableFuture.failedFuture(
          AttemptFailure.exhausted(Status.RESOURCE_EXHAUSTED, "fallback bulkhead full"));
    }
    Deadline deadline =
        Deadline.after(
            Math.max(0, call.deadline().timeRemaining(TimeUnit.NANOSECONDS)), TimeUnit.NANOSECONDS);
    return UpstreamCall.start(
            channels.channel(replica.get()),
            call.request().toBuilder().setModelName(fallbackModel).clearModelVersion().build(),
            deadline,
            call.callerContext())
        .whenComplete((response, error) -> bulkhead.releasePermit())
        .thenApply(
            response -> {
              ServedBy servedBy =
                  response.getServedBy().toBuilder()
                      .setPath(ServingPath.SERVING_PATH_FALLBACK_MODEL)
                      .setAttempts(call.upstreamCalls() + 1)
                      .setReason(
                          "no region could run '"
                              + call.request().getModelName()
                              + "': "
                              + call.failureSummary())
                      .build();
              return response.toBuilder().setServedBy(servedBy).build();
            });
  }
}
