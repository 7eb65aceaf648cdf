package dev.meridian.agent.health;

import dev.meridian.core.CallerText;
import dev.meridian.core.oip.OipRequests;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import dev.meridian.proto.oip.v2.ModelInferRequest;
import dev.meridian.proto.oip.v2.ModelReadyRequest;
import dev.meridian.registry.ReplicaProtocol;
import io.grpc.Channel;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The calls of one probe on a replica, in the protocol it speaks ({@link #of}). */
@FunctionalInterface
public interface ProbeCall {
  /**
   * Makes the probe's calls on {@code channel}, all by {@code deadline}.
   *
   * @throws StatusRuntimeException when a call fails or the replica says it cannot serve
   */
  void call(Channel channel, Deadline deadline);

  /**
   * The probe that sends {@code canary} through {@code protocol}: a canary {@code Predict} to the
   * agent's own replicas; to an external Open Inference Protocol server, {@code ModelReady} for the
   * model and version, then the canary as a real {@code ModelInfer}.
   */
  static ProbeCall of(ReplicaProtocol protocol, PredictRequest canary) {
    return switch (protocol) {
      case MERIDIAN ->
          (channel, deadline) ->
              InferenceGrpc.newBlockingStub(channel).withDeadline(deadline).predict(canary);
      case OIP -> oip(canary);
    };
  }

  private static ProbeCall oip(PredictRequest canary) {
    ModelInferRequest infer = OipRequests.toModelInfer(canary);
    ModelReadyRequest ready =
        ModelReadyRequest.newBuilder()
            .setName(canary.getModelName())
            .setVersion(canary.getModelVersion())
            .build();
    return (channel, deadline) -> {
      var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadline(deadline);
      if (!stub.modelReady(ready).getReady()) {
        throw Status.UNAVAILABLE
            .withDescription(
                "ModelReady: model "
                    + CallerText.quoted(ready.getName())
                    + " version "
                    + CallerText.quoted(ready.getVersion())
                    + " is not ready")
            .asRuntimeException();
      }
      stub.modelInfer(infer);
    };
  }
}
