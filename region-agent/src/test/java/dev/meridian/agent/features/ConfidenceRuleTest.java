package dev.meridian.agent.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfidenceRuleTest {
  private static Tensor output(DataType type, List<Long> shape, float... values) {
    TensorContents.Builder contents = TensorContents.newBuilder();
    for (float value : values) {
      if (type == DataType.DATA_TYPE_FP64) {
        contents.addFp64Contents(value);
      } else {
        contents.addFp32Contents(value);
      }
    }
    return Tensor.newBuilder()
        .setName("probability")
        .setDatatype(type)
        .addAllShape(shape)
        .setContents(contents)
        .build();
  }

  private final ConfidenceRule rule = new ConfidenceRule("probability", 0.6);

  @Test
  void oneProbabilityPerRowIsReadAsTwoClasses() {
    assertThat(rule.confidence(List.of(output(DataType.DATA_TYPE_FP32, List.of(1L, 1L), 0.1f))))
        .isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(rule.shortfall(List.of(output(DataType.DATA_TYPE_FP32, List.of(1L, 1L), 0.9f))))
        .isEmpty();
    assertThat(rule.shortfall(List.of(output(DataType.DATA_TYPE_FP64, List.of(1L), 0.45f))))
        .hasValueSatisfying(
            confidence ->
                assertThat(confidence).isCloseTo(0.55, org.assertj.core.data.Offset.offset(1e-6)));
  }

  @Test
  void theLeastConfidentRowOfSeveralClassesDecides() {
    Tensor classes =
        output(DataType.DATA_TYPE_FP32, List.of(2L, 3L), 0.8f, 0.1f, 0.1f, 0.4f, 0.35f, 0.25f);

    assertThat(rule.shortfall(List.of(classes)))
        .hasValueSatisfying(
            confidence ->
                assertThat(confidence).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-6)));
  }

  @Test
  void aMissingOrNonProbabilityOutputIsAModelFault() {
    Tensor text =
        Tensor.newBuilder()
            .setName("probability")
            .setDatatype(DataType.DATA_TYPE_BYTES)
            .addShape(1)
            .build();

    assertThatThrownBy(() -> rule.shortfall(List.of()))
        .hasMessage("the model has no output 'probability'");
    assertThatThrownBy(() -> rule.shortfall(List.of(text)))
        .hasMessage("output 'probability' is DATA_TYPE_BYTES, not FP32 or FP64 probabilities");
    assertThatThrownBy(() -> new ConfidenceRule("p", 1.5))
        .hasMessage("confidence threshold 1.5 is not in 0..1");
  }
}
