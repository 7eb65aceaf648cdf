package dev.meridian.gateway;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.meridian.core.CallerText;
import dev.meridian.gateway.routing.ChannelCache;
import dev.meridian.gateway.routing.RegionSelector;
import dev.meridian.gateway.routing.ReplicaEndpoint;
import dev.meridian.gateway.routing.ReplicaPicker;
import dev.meridian.gateway.routing.RoutingState;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import dev.meridian.proto.oip.v2.ModelMetadataRequest;
import dev.meridian.proto.oip.v2.ModelMetadataResponse;
import dev.meridian.proto.routing.v1.RegionRoute;
import io.grpc.Deadline;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What the gateway says about its models without running them: whether the server and a model are
 * ready, and a model's signature as its replicas report it. A model is ready when its routing table
 * gives weight to a region with a ready replica behind a breaker that lets calls through (the same
 * test that tells an avoidable degraded answer); the server when it has a routing table. Metadata
 * is asked of the model's replicas through the Open Inference Protocol, which Meridian's replicas
 * and external model servers both serve, one replica after another until one answers. Thread-safe.
 */
final class ModelCatalog {
  /** Failures that are a replica's answer about the model, given to the caller as they are. */
  private static final Set<Status.Code> ANSWERS =
      Set.of(Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT);

  private final RoutingState state;
  private final ReplicaPicker replicas;
  private final RegionSelector regions;
  private final ChannelCache channels;

  ModelCatalog(
      RoutingState state, ReplicaPicker replicas, RegionSelector regions, ChannelCache channels) {
    this.state = state;
    this.replicas = replicas;
    this.regions = regions;
    this.channels = channels;
  }

  /** Whether the gateway has a routing table, so that it can route calls at all. */
  boolean serverReady() {
    return state.hasTables();
  }

  /** Whether a call of {@code model} could be answered by some region now. */
  boolean ready(String model) {
    return state
        .table(model)
        .map(table -> regions.untriedRegionCouldAnswer(table, Set.of(), Set.of()))
        .orElse(false);
  }

  /** Whether the gateway routes {@code model}. */
  boolean routes(String model) {
    return state.table(model).isPresent();
  }

  /**
   * The signature of the requested model as one of its replicas reports it, asking replicas of
   * regions the table gives weight to first.
   *
   * @return the answer, or a failure with UNAVAILABLE when no replica could describe the model
   */
  CompletableFuture<ModelMetadataResponse> metadata(
      ModelMetadataRequest request, Deadline deadline) {
    String model = request.getName();
    List<ReplicaEndpoint> candidates = new ArrayList<>();
    state.table(model).stream()
        .flatMap(table -> table.getRegionsList().stream())
        .sorted(Comparator.comparingLong(RegionRoute::getWeight).reversed())
        .forEach(route -> candidates.addAll(replicas.untried(route.getRegion(), model, Set.of())));
    return ask(candidates, 0, request, deadline, Optional.empty());
  }

  private CompletableFuture<ModelMetadataResponse> ask(
      List<ReplicaEndpoint> candidates,
      int next,
      ModelMetadataRequest request,
      Deadline deadline,
      Optional<Status> lastFailure) {
    if (next == candidates.size() || deadline.isExpired()) {
      return CompletableFuture.failedFuture(
          Status.UNAVAILABLE
              .withDescription(
                  "no replica of model "
                      + CallerText.quoted(request.getName())
                      + " could describe it"
                      + lastFailure
                          .map(status -> " (last: " + status.getCode() + " " + description(status))
                          .orElse(" (none is known)")
                      + (lastFailure.isPresent() ? ")" : ""))
              .asRuntimeException());
    }
    ReplicaEndpoint replica = candidates.get(next);
    CompletableFuture<ModelMetadataResponse> answer = new CompletableFuture<>();
    Futures.addCallback(
        GRPCInferenceServiceGrpc.newFutureStub(channels.channel(replica))
            .withDeadline(deadline)
            .modelMetadata(request),
        new FutureCallback<>() {
          @Override
          public void onSuccess(ModelMetadataResponse response) {
            answer.complete(response);
          }

          @Override
          public void onFailure(Throwable failure) {
            Status status = Status.fromThrowable(failure);
            if (ANSWERS.contains(status.getCode())) {
              answer.completeExceptionally(
                  failure); // the model's own answer, say an unknown version
              return;
            }
            ask(candidates, next + 1, request, deadline, Optional.of(status))
                .whenComplete(
                    (response, error) -> {
                      if (error == null) {
                        answer.complete(response);
                      } else {
                        answer.completeExceptionally(error);
                      }
                    });
          }
        },
        MoreExecutors.directExecutor());
    return answer;
  }

  private static String description(Status status) {
    return status.getDescription() == null ? "" : status.getDescription();
  }
}
