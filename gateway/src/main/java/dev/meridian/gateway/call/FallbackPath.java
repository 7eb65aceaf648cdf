package dev.meridian.gateway.call;

import dev.failsafe.Bulkhead;
import dev.meridian.gateway.routing.RoutingState;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.inference.v1.ServingPath;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The first degraded path: run the model's cheaper fallback model, through the same attempts as the
 * primary path (the same ejections, breakers, retries and hedges, every region in the fallback
 * model's own routing table, or every region equally when it has none), with what is left of the
 * deadline. It has a bulkhead of its own, so a flood of degraded calls cannot take every thread.
 * Thread-safe.
 */
final class FallbackPath {
  private final PrimaryPath attempts;
  private final RoutingState state;
  private final Bulkhead<Object> bulkhead;
  private final List<String> regions;

  FallbackPath(
      PrimaryPath attempts, RoutingState state, Bulkhead<Object> bulkhead, List<String> regions) {
    this.attempts = attempts;
    this.state = state;
    this.bulkhead = bulkhead;
    this.regions = List.copyOf(regions);
  }

  CompletableFuture<PredictResponse> run(CallState call, String fallbackModel) {
    if (!bulkhead.tryAcquirePermit()) {
      return CompletableFuture.failedFuture(
          AttemptFailure.exhausted(Status.RESOURCE_EXHAUSTED, "fallback bulkhead full"));
    }
    CallState fallback =
        new CallState(
            call.request().toBuilder().setModelName(fallbackModel).clearModelVersion().build(),
            state.table(fallbackModel).orElseGet(() -> everyRegion(fallbackModel)),
            call.deadline(),
            call.callerContext());
    return attempts
        .run(fallback)
        .whenComplete(
            (response, error) -> {
              bulkhead.releasePermit();
              call.addUpstreamCalls(fallback.upstreamCalls());
            })
        .thenApply(
            response -> {
              ServedBy servedBy =
                  response.getServedBy().toBuilder()
                      .setPath(ServingPath.SERVING_PATH_FALLBACK_MODEL)
                      .setAttempts(call.upstreamCalls())
                      .setReason(
                          "no region could run '"
                              + call.request().getModelName()
                              + "': "
                              + call.fullSummary())
                      .build();
              return response.toBuilder().setServedBy(servedBy).build();
            });
  }

  private RoutingTable everyRegion(String model) {
    RoutingTable.Builder table = RoutingTable.newBuilder().setModelName(model);
    regions.forEach(
        region ->
            table.addRegions(
                RegionRoute.newBuilder()
                    .setRegion(region)
                    .setWeight(1)
                    .setState(RegionState.REGION_STATE_ACTIVE)));
    return table.build();
  }
}
