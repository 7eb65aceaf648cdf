package dev.meridian.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.model.ModelSignature;
import dev.meridian.agent.model.TensorSpec;
import dev.meridian.core.DataTypes;
import dev.meridian.core.PredictRequestValidator;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.PredictRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CanaryRequestTest {
  @Test
  void fillsEveryInputWithZerosAndDynamicDimensionsOfOne() {
    List<TensorSpec> inputs =
        List.of(
            new TensorSpec("features", DataType.DATA_TYPE_FP32, List.of(TensorSpec.DYNAMIC, 3L)),
            new TensorSpec("ids", DataType.DATA_TYPE_INT64, List.of(2L)),
            new TensorSpec("text", DataType.DATA_TYPE_BYTES, List.of()));

    PredictRequest canary = CanaryRequest.build("m", "canary-1", inputs);

    PredictRequestValidator.validate(canary);
    new ModelSignature(inputs, List.of()).bind("m", canary.getInputsList());
    assertThat(canary.getInputs(0).getShapeList()).containsExactly(1L, 3L);
    assertThat(canary.getInputs(0).getContents().getFp32ContentsList()).containsExactly(0f, 0f, 0f);
    assertThat(canary.getInputs(1).getContents().getInt64ContentsList()).containsExactly(0L, 0L);
    assertThat(canary.getInputs(2).getContents().getBytesContentsCount()).isEqualTo(1);
    assertThat(canary.getRequestId()).isEqualTo("canary-1");
  }

  static List<DataType> datatypes() {
    return DataTypes.SUPPORTED;
  }

  @ParameterizedTest
  @MethodSource("datatypes")
  void hasAValidZeroCanaryForEveryDatatype(DataType datatype) {
    List<TensorSpec> inputs =
        List.of(new TensorSpec("x", datatype, List.of(TensorSpec.DYNAMIC, 2L)));

    PredictRequest canary = CanaryRequest.build("m", "canary-1", inputs);

    PredictRequestValidator.validate(canary);
    new ModelSignature(inputs, List.of()).bind("m", canary.getInputsList());
    assertThat(canary.getInputs(0).getShapeList()).containsExactly(1L, 2L);
  }

  @Test
  void halvesAreRawZeroBytes() {
    for (DataType datatype : List.of(DataType.DATA_TYPE_FP16, DataType.DATA_TYPE_BF16)) {
      PredictRequest canary =
          CanaryRequest.build("m", "c", List.of(new TensorSpec("x", datatype, List.of(3L))));

      assertThat(canary.getInputs(0).getContents().getRawContents().toByteArray())
          .as(datatype.name())
          .containsExactly(0, 0, 0, 0, 0, 0);
    }
  }
}
