package dev.meridian.agent.replica;

import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.stub.StreamObserver;

/**
 * Serves Meridian's {@code Predict} on one replica, through the replica's {@link ReplicaServing}
 * path, which its Open Inference Protocol service shares. Thread-safe.
 */
public final class ReplicaInferenceService extends InferenceGrpc.InferenceImplBase {
  private final ReplicaServing serving;

  /** Creates the service on {@code serving}. */
  ReplicaInferenceService(ReplicaServing serving) {
    this.serving = serving;
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
    serving.call(
        request.getModelName(), request.getRequestId(), () -> serving.predict(request), observer);
  }
}
