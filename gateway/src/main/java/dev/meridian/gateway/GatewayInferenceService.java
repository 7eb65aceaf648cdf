package dev.meridian.gateway;

import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;

/** The gateway's {@code Predict}, answered through {@link GatewayCalls}. Thread-safe. */
public final class GatewayInferenceService extends InferenceGrpc.InferenceImplBase {
  private final GatewayCalls calls;

  GatewayInferenceService(GatewayCalls calls) {
    this.calls = calls;
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
    AsyncReply.send(observer, calls.answer(request), Function.identity());
  }
}
