package dev.meridian.gateway;

import dev.meridian.core.CallerText;
import dev.meridian.core.PredictRequestValidator;
import dev.meridian.gateway.call.PredictPipeline;
import dev.meridian.gateway.routing.RoutingState;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's one way into its {@link PredictPipeline}, whichever protocol the caller speaks:
 * rejects malformed requests and unknown models at once, without touching any region, assigns a
 * request id when the caller gave none, and runs the call with the caller's deadline (or the
 * default one) in the caller's context. Thread-safe.
 */
final class GatewayCalls {
  private final GatewayConfig config;
  private final RoutingState state;
  private final PredictPipeline pipeline;

  GatewayCalls(GatewayConfig config, RoutingState state, PredictPipeline pipeline) {
    this.config = config;
    this.state = state;
    this.pipeline = pipeline;
  }

  /**
   * Answers {@code request}, in the current gRPC context.
   *
   * @return the answer, or a failure carrying the status to give the caller
   */
  CompletableFuture<PredictResponse> answer(PredictRequest request) {
    try {
      PredictRequestValidator.validate(request);
    } catch (StatusRuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    String model = request.getModelName();
    Optional<RoutingTable> table = state.table(model);
    if (table.isEmpty() && !config.configures(model)) {
      return CompletableFuture.failedFuture(unknownModel(model));
    }
    PredictRequest withId =
        request.getRequestId().isEmpty()
            ? request.toBuilder().setRequestId(UUID.randomUUID().toString()).build()
            : request;
    return pipeline.predict(withId, config.model(model), table, deadline(), Context.current());
  }

  /** The current call's deadline, or the configured default when the caller set none. */
  Deadline deadline() {
    return Optional.ofNullable(Context.current().getDeadline())
        .orElseGet(() -> Deadline.after(config.defaultTimeout().toNanos(), TimeUnit.NANOSECONDS));
  }

  /** The NOT_FOUND a caller gets for a model this gateway neither routes nor configures. */
  StatusRuntimeException unknownModel(String model) {
    return Status.NOT_FOUND
        .withDescription(
            "model "
                + CallerText.quoted(model)
                + " is not served by this gateway; it serves "
                + state.tables().stream().map(RoutingTable::getModelName).sorted().toList())
        .asRuntimeException();
  }
}
