package dev.meridian.gateway;

import dev.meridian.core.CallerText;
import dev.meridian.core.PredictRequestValidator;
import dev.meridian.gateway.call.PredictPipeline;
import dev.meridian.gateway.routing.RoutingState;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's {@code Predict}: rejects malformed requests and unknown models at once, without
 * touching any region, assigns a request id when the caller gave none, and runs the call through
 * the {@link PredictPipeline} asynchronously. Thread-safe.
 */
public final class GatewayInferenceService extends InferenceGrpc.InferenceImplBase {
  private final GatewayConfig config;
  private final RoutingState state;
  private final PredictPipeline pipeline;

  /** Creates the service. */
  public GatewayInferenceService(
      GatewayConfig config, RoutingState state, PredictPipeline pipeline) {
    this.config = config;
    this.state = state;
    this.pipeline = pipeline;
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
    try {
      PredictRequestValidator.validate(request);
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    }
    String model = request.getModelName();
    Optional<RoutingTable> table = state.table(model);
    if (table.isEmpty() && !config.configures(model)) {
      observer.onError(
          Status.NOT_FOUND
              .withDescription(
                  "model "
                      + CallerText.quoted(model)
                      + " is not served by this gateway; it serves "
                      + state.tables().stream().map(RoutingTable::getModelName).sorted().toList())
              .asRuntimeException());
      return;
    }
    PredictRequest withId =
        request.getRequestId().isEmpty()
            ? request.toBuilder().setRequestId(UUID.randomUUID().toString()).build()
            : request;
    Context context = Context.current();
    Deadline deadline =
        Optional.ofNullable(context.getDeadline())
            .orElseGet(
                () -> Deadline.after(config.defaultTimeout().toNanos(), TimeUnit.NANOSECONDS));
    CompletableFuture<PredictResponse> answer =
        pipeline.predict(withId, config.model(model), table, deadline, context);
    // A caller who leaves gets nothing more. Upstream calls run in the caller's context, so they
    // are cancelled with it, and any later attempt ends at once as CANCELLED.
    ((ServerCallStreamObserver<PredictResponse>) observer)
        .setOnCancelHandler(() -> answer.cancel(false));
    answer.whenComplete(
        (response, error) -> {
          if (answer.isCancelled()) {
            return;
          }
          if (error == null) {
            observer.onNext(response);
            observer.onCompleted();
          } else {
            observer.onError(Status.fromThrowable(error).asRuntimeException());
          }
        });
  }
}
