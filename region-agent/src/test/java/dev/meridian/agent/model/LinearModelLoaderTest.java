package dev.meridian.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinearModelLoaderTest {
  private static final String LOGISTIC =
      "{\"name\":\"risk\",\"version\":\"7\",\"activation\":\"sigmoid\","
          + "\"input\":\"x\",\"output\":\"p\",\"weights\":[[1.0,-2.0],[0.5,0.5]],\"bias\":[0.25,-1]}";

  private static LinearModel parse(String json) throws ModelLoadException {
    return LinearModelLoader.parse(new StringReader(json), "test.json");
  }

  @Test
  void computesLogisticOutputsForABatch() throws Exception {
    LinearModel model = parse(LOGISTIC);
    Tensor x =
        Tensor.newBuilder()
            .setName("x")
            .setDatatype(DataType.DATA_TYPE_FP32)
            .addShape(2)
            .addShape(2)
            .setContents(TensorContents.newBuilder().addAllFp32Contents(List.of(3f, 1f, -1f, 2f)))
            .build();

    Tensor p = model.predict(Map.of("x", x)).get(0);

    assertThat(p.getName()).isEqualTo("p");
    assertThat(p.getShapeList()).containsExactly(2L, 2L);
    // Row 0: 1*3 - 2*1 + 0.25 = 1.25; 0.5*3 + 0.5*1 - 1 = 1.0
    // Row 1: 1*-1 - 2*2 + 0.25 = -4.75; 0.5*-1 + 0.5*2 - 1 = -0.5
    double[] logits = {1.25, 1.0, -4.75, -0.5};
    List<Float> values = p.getContents().getFp32ContentsList();
    for (int i = 0; i < logits.length; i++) {
      assertThat((double) values.get(i)).isCloseTo(1 / (1 + Math.exp(-logits[i])), within(1e-6));
    }
    assertThat(model.version()).isEqualTo("7");
    assertThat(model.signature().inputs().get(0).toString()).isEqualTo("x FP32[-1, 2]");
  }

  @Test
  void errorsNameTheOffendingKey() {
    assertThatThrownBy(() -> parse("{\"name\":\"m\",\"weights\":[[1,2],[3]],\"bias\":[0,0]}"))
        .hasMessage("test.json: weights[1]: has 1 values (expected: 2, as weights[0])");
    assertThatThrownBy(() -> parse("{\"name\":\"m\",\"weights\":[[1]],\"bias\":[0,1]}"))
        .hasMessageContaining("bias: has 2 values (expected: 1");
    assertThatThrownBy(() -> parse("{\"weights\":[[1]],\"bias\":[0]}"))
        .hasMessage("test.json: name: expected a non-empty string");
    assertThatThrownBy(() -> parse("{\"name\":\"m\",\"wieghts\":[[1]]}"))
        .hasMessageContaining("unknown key 'wieghts'");
    assertThatThrownBy(
            () -> parse("{\"name\":\"m\",\"activation\":\"relu\",\"weights\":[[1]],\"bias\":[0]}"))
        .hasMessageContaining("activation: 'relu' (expected: identity or sigmoid)");
    assertThatThrownBy(() -> parse("{\"name\":\"m\",\"weights\":[[\"a\"]],\"bias\":[0]}"))
        .hasMessageContaining("weights[0][0]: expected a number");
    assertThatThrownBy(() -> parse("[1,2")).hasMessageContaining("test.json:");
  }
}
