package dev.meridian.gateway;

import dev.meridian.core.PredictRequestValidator;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The gateway's {@code Predict}: rejects malformed requests and unknown models at once, without
 * touching any region, then hands the call to the {@link CrossRegionCaller}. Thread-safe.
 */
public final class GatewayInferenceService extends InferenceGrpc.InferenceImplBase {
  private final SortedSet<String> models;
  private final CrossRegionCaller caller;

  /** Creates the service for the given model names. */
  public GatewayInferenceService(Set<String> models, CrossRegionCaller caller) {
    this.models = new TreeSet<>(models);
    this.caller = caller;
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
    try {
      PredictRequestValidator.validate(request);
      if (!models.contains(request.getModelName())) {
        throw Status.NOT_FOUND
            .withDescription(
                "model '"
                    + request.getModelName()
                    + "' is not served by this gateway; it serves "
                    + models)
            .asRuntimeException();
      }
      PredictRequest withId =
          request.getRequestId().isEmpty()
              ? request.toBuilder().setRequestId(UUID.randomUUID().toString()).build()
              : request;
      observer.onNext(caller.call(withId));
      observer.onCompleted();
    } catch (StatusRuntimeException e) {
      observer.onError(e);
    }
  }
}
