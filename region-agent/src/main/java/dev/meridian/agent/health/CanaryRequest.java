package dev.meridian.agent.health;

import static java.util.Collections.nCopies;

import com.google.protobuf.ByteString;
import dev.meridian.agent.model.TensorSpec;
import dev.meridian.core.DataTypes;
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
    switch (spec.datatype()) {
      case DATA_TYPE_BOOL -> contents.addAllBoolContents(nCopies(count, false));
      case DATA_TYPE_INT8, DATA_TYPE_INT16, DATA_TYPE_INT32 ->
          contents.addAllIntContents(nCopies(count, 0));
      case DATA_TYPE_INT64 -> contents.addAllInt64Contents(nCopies(count, 0L));
      case DATA_TYPE_UINT8, DATA_TYPE_UINT16, DATA_TYPE_UINT32 ->
          contents.addAllUintContents(nCopies(count, 0));
      case DATA_TYPE_UINT64 -> contents.addAllUint64Contents(nCopies(count, 0L));
      case DATA_TYPE_FP32 -> contents.addAllFp32Contents(nCopies(count, 0f));
      case DATA_TYPE_FP64 -> contents.addAllFp64Contents(nCopies(count, 0d));
      // All-zero bytes are +0.0 in FP16 and BF16 alike.
      case DATA_TYPE_FP16, DATA_TYPE_BF16 ->
          contents.setRawContents(
              ByteString.copyFrom(new byte[count * DataTypes.elementBytes(spec.datatype())]));
      case DATA_TYPE_BYTES -> contents.addAllBytesContents(nCopies(count, ByteString.EMPTY));
      default ->
          throw new IllegalArgumentException("input " + spec + ": no canary for this datatype");
    }
    return contents.build();
  }
}
