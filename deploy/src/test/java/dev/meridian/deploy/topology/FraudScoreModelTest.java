package dev.meridian.deploy.topology;

import static dev.meridian.agent.model.onnx.OnnxModelWriter.FLOAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.agent.model.LinearModel;
import dev.meridian.agent.model.Model;
import dev.meridian.agent.model.onnx.OnnxModel;
import dev.meridian.agent.model.onnx.OnnxModelLoader;
import dev.meridian.agent.model.onnx.OnnxModelWriter;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's primary model, {@code deploy/src/main/resources/models/fraud-score.onnx}, is what
 * {@link #fraudScore()} writes: a logistic regression over four features, {@code probability =
 * Sigmoid(MatMul(features, weights) + bias)}, with a symbolic batch dimension. This test writes the
 * model again and requires the checked-in file to hold the same bytes, and requires ONNX Runtime to
 * answer what the built-in model with the same weights answers.
 *
 * <p>To change the model, change {@link #fraudScore()} and rewrite the file by running this test
 * with the system property {@value #REWRITE} set to {@code true}:
 *
 * <pre>
 * mvn -B -o -q -pl deploy -am test -Dtest=FraudScoreModelTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dmeridian.rewrite-models=true
 * </pre>
 */
class FraudScoreModelTest {
  /** The system property that makes the test rewrite the checked-in model before checking it. */
  static final String REWRITE = "meridian.rewrite-models";

  private static final Path FILE =
      Path.of(System.getProperty("basedir", "."))
          .resolve("src/main/resources/models/fraud-score.onnx")
          .toAbsolutePath();

  /** One weight per feature. */
  private static final float[] WEIGHTS = {0.8f, 1.5f, 1.1f, -0.6f};

  private static final float BIAS = -2.0f;

  /** The demo's fraud-score model. */
  static OnnxModelWriter fraudScore() {
    return new OnnxModelWriter()
        .input("features", FLOAT, "batch", WEIGHTS.length)
        .floatInitializer("weights", new long[] {WEIGHTS.length, 1}, WEIGHTS)
        .floatInitializer("bias", new long[] {1}, BIAS)
        .node("MatMul", List.of("features", "weights"), List.of("score"))
        .node("Add", List.of("score", "bias"), List.of("logit"))
        .node("Sigmoid", List.of("logit"), List.of("probability"))
        .output("probability", FLOAT, "batch", 1);
  }

  @Test
  void theCheckedInModelIsWhatTheWriterWrites() throws Exception {
    byte[] written = fraudScore().toBytes();
    if (Boolean.getBoolean(REWRITE)) {
      Files.write(FILE, written);
    }

    assertThat(Files.readAllBytes(FILE))
        .as("%s differs from what fraudScore() writes; rewrite it with -D%s=true", FILE, REWRITE)
        .isEqualTo(written);
  }

  @Test
  void onnxRuntimeAnswersWhatTheWeightsGive() throws Exception {
    float[][] rows = {{0.5f, 1.2f, 0.3f, 2f}, {0f, 0f, 0f, 0f}, {3f, -1f, 0.25f, 10f}};
    Model reference =
        new LinearModel(
            "fraud-score",
            "1",
            LinearModel.Activation.SIGMOID,
            "features",
            "probability",
            new float[][] {WEIGHTS},
            new float[] {BIAS});

    try (OnnxModel model = OnnxModelLoader.load(FILE, "fraud-score", "1")) {
      assertThat(model.signature()).isEqualTo(reference.signature());
      Tensor probability = model.predict(Map.of("features", features(rows))).get(0);
      Tensor expected = reference.predict(Map.of("features", features(rows))).get(0);

      assertThat(probability.getName()).isEqualTo("probability");
      assertThat(probability.getShapeList()).containsExactly((long) rows.length, 1L);
      // The README's sample call: sigmoid(0.8*0.5 + 1.5*1.2 + 1.1*0.3 - 0.6*2 - 2).
      assertThat(probability.getContents().getFp32Contents(0))
          .isCloseTo(0.33849686f, within(1e-6f));
      for (int row = 0; row < rows.length; row++) {
        assertThat(probability.getContents().getFp32Contents(row))
            .as("row %d", row)
            .isCloseTo(expected.getContents().getFp32Contents(row), within(1e-6f));
      }
    }
  }

  private static Tensor features(float[][] rows) {
    TensorContents.Builder contents = TensorContents.newBuilder();
    for (float[] row : rows) {
      for (float value : row) {
        contents.addFp32Contents(value);
      }
    }
    return Tensor.newBuilder()
        .setName("features")
        .setDatatype(DataType.DATA_TYPE_FP32)
        .addShape(rows.length)
        .addShape(WEIGHTS.length)
        .setContents(contents)
        .build();
  }
}
