package dev.meridian.agent.testing;

import com.google.protobuf.ByteString;
import dev.meridian.agent.model.LinearModel;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import java.util.List;

/** Small models and requests shared by the tests. */
public final class TestModels {
  private TestModels() {}

  /** A 2-feature identity model that returns {@code x0 + 2 x1 + 1}. */
  public static LinearModel adder() {
    return new LinearModel(
        "adder",
        "1",
        LinearModel.Activation.IDENTITY,
        "features",
        "sum",
        new float[][] {{1f, 2f}},
        new float[] {1f});
  }

  /**
   * A request for {@code model} by the entity key {@code id} of kind {@code card_id} (BYTES, one
   * row), in place of its feature tensor.
   */
  public static PredictRequest byCard(String model, String id) {
    return PredictRequest.newBuilder()
        .setModelName(model)
        .addInputs(
            Tensor.newBuilder()
                .setName("card_id")
                .setDatatype(DataType.DATA_TYPE_BYTES)
                .addShape(1)
                .setContents(
                    TensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8(id))))
        .build();
  }

  /** A well-formed request for {@link #adder()} with one row. */
  public static PredictRequest adderRequest(float x0, float x1) {
    return PredictRequest.newBuilder()
        .setModelName("adder")
        .setRequestId("test")
        .addInputs(
            Tensor.newBuilder()
                .setName("features")
                .setDatatype(DataType.DATA_TYPE_FP32)
                .addAllShape(List.of(1L, 2L))
                .setContents(TensorContents.newBuilder().addFp32Contents(x0).addFp32Contents(x1)))
        .build();
  }
}
