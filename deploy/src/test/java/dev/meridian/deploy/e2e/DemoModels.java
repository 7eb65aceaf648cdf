package dev.meridian.deploy.e2e;

import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;

/** The models the local topology serves, and a valid request for the main one. */
final class DemoModels {
  /** The main model, {@code features} FP32 [n, 4] in. */
  static final String MODEL = "fraud-score";

  /** Its fallback model, one replica per region. */
  static final String FALLBACK = "fraud-score-lite";

  private DemoModels() {}

  /** A well-formed request for {@link #MODEL}: one row of four features. */
  static PredictRequest request() {
    return PredictRequest.newBuilder().setModelName(MODEL).addInputs(features(4, 4)).build();
  }

  /** A request for the primary by the demo card {@code card}, whose features the stores hold. */
  static PredictRequest byCard(String card) {
    return PredictRequest.newBuilder()
        .setModelName(MODEL)
        .addInputs(
            Tensor.newBuilder()
                .setName("card_id")
                .setDatatype(DataType.DATA_TYPE_BYTES)
                .addShape(1)
                .setContents(
                    TensorContents.newBuilder()
                        .addBytesContents(com.google.protobuf.ByteString.copyFromUtf8(card))))
        .build();
  }

  /**
   * A {@code features} tensor declared as {@code [1, declared]} holding {@code values} floats, so
   * that a caller can make the shape and the contents disagree.
   */
  static Tensor features(int declared, int values) {
    TensorContents.Builder contents = TensorContents.newBuilder();
    for (int i = 0; i < values; i++) {
      contents.addFp32Contents(0.25f * (i % 8));
    }
    return Tensor.newBuilder()
        .setName("features")
        .setDatatype(DataType.DATA_TYPE_FP32)
        .addShape(1)
        .addShape(declared)
        .setContents(contents)
        .build();
  }
}
