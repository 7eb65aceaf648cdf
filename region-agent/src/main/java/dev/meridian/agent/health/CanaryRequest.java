package dev.meridian.agent.health;

import com.google.protobuf.ByteString;
import dev.meridian.agent.model.TensorSpec;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import java.util.List;

/**
 * Builds the probe request for a model from its inputs: every input present, each dynamic dimension
 * 1, every element zero (or empty, for bytes). A real inference through the real model, so a probe
 * fails when inference fails, not just when the port is closed; replicas warm up with it too.
 */
public final class CanaryRequest {
  private CanaryRequest() {}

  /** A request for {@code model} with a zero-filled tensor per input in {@code inputs}. */
  public static PredictRequest build(String model, String requestId, List<TensorSpec> inputs) {
    PredictRequest.Builder request =
        PredictRequest.newBuilder().setModelName(model).setRequestId(requestId);
    for (TensorSpec spec : inputs) {
      List<Long> shape = spec.shape().stream().map(d -> d == TensorSpec.DYNAMIC ? 1L : d).toList();
      request.addInputs(
          Tensor.newBuilder()
              .setName(spec.name())
              .setDatatype(spec.datatype())
              .addAllShape(shape)
              .setContents(zeros(spec, shape)));
    }
    return request.build();
  }

  private static TensorContents zeros(TensorSpec spec, List<Long> shape) {
    int count = Math.toIntExact(shape.stream().reduce(1L, Math::multiplyExact));
    TensorContents.Builder contents = TensorContents.newBuilder();
    for (int i = 0; i < count; i++) {
      switch (spec.datatype()) {
        case DATA_TYPE_BOOL -> contents.addBoolContents(false);
        case DATA_TYPE_INT32 -> contents.addIntContents(0);
        case DATA_TYPE_INT64 -> contents.addInt64Contents(0);
        case DATA_TYPE_FP32 -> contents.addFp32Contents(0f);
        case DATA_TYPE_FP64 -> contents.addFp64Contents(0d);
        case DATA_TYPE_BYTES -> contents.addBytesContents(ByteString.EMPTY);
        default ->
            throw new IllegalArgumentException("input " + spec + ": no canary for this datatype");
      }
    }
    return contents.build();
  }
}
