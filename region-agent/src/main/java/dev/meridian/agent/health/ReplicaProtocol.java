package dev.meridian.agent.health;

import dev.meridian.core.CallerText;
import dev.meridian.core.oip.OipRequests;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import dev.meridian.proto.oip.v2.ModelInferRequest;
import dev.meridian.proto.oip.v2.ModelReadyRequest;
import dev.meridian.registry.MeridianLayout;
import io.grpc.Status;

/**
 * The inference protocol the agent, and the gateway after it, call a replica through: what its
 * registration says ({@link MeridianLayout#META_PROTOCOL}) and how its probes call it.
 */
public enum ReplicaProtocol {
  /** The agent's own replicas: a canary {@code Predict}. */
  MERIDIAN(MeridianLayout.PROTOCOL_MERIDIAN) {
    @Override
    public ProbeCall probe(PredictRequest canary) {
      return (channel, deadline) ->
          InferenceGrpc.newBlockingStub(channel).withDeadline(deadline).predict(canary);
    }
  },
  /**
   * An external Open Inference Protocol server: {@code ModelReady} for the model and version, then
   * the canary as a real {@code ModelInfer}.
   */
  OIP(MeridianLayout.PROTOCOL_OIP) {
    @Override
    public ProbeCall probe(PredictRequest canary) {
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
  };

  private final String metaValue;

  ReplicaProtocol(String metaValue) {
    this.metaValue = metaValue;
  }

  /** The value of {@link MeridianLayout#META_PROTOCOL} in the replica's registration. */
  public String metaValue() {
    return metaValue;
  }

  /** The probe that sends {@code canary} in this protocol. */
  public abstract ProbeCall probe(PredictRequest canary);
}
