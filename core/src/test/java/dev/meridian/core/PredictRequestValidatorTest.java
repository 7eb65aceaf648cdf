package dev.meridian.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictRequestValidatorTest {

  private static Tensor fp32(String name, List<Long> shape, Float... values) {
    return Tensor.newBuilder()
        .setName(name)
        .setDatatype(DataType.DATA_TYPE_FP32)
        .addAllShape(shape)
        .setContents(TensorContents.newBuilder().addAllFp32Contents(List.of(values)))
        .build();
  }

  private static PredictRequest request(Tensor... inputs) {
    return PredictRequest.newBuilder().setModelName("m").addAllInputs(List.of(inputs)).build();
  }

  private static String rejection(PredictRequest request) {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> PredictRequestValidator.validate(request));
    assertThat(e).as("expected a rejection").isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    return e.getStatus().getDescription();
  }

  @Test
  void acceptsWellFormedRequest() {
    assertThatCode(
            () -> PredictRequestValidator.validate(request(fp32("x", List.of(1L, 2L), 1f, 2f))))
        .doesNotThrowAnyException();
  }

  @Test
  void acceptsScalar() {
    assertThatCode(() -> PredictRequestValidator.validate(request(fp32("x", List.of(), 3f))))
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsMissingModelName() {
    assertThat(rejection(PredictRequest.newBuilder().addInputs(fp32("x", List.of(), 1f)).build()))
        .isEqualTo("model_name is required");
  }

  @Test
  void rejectsNoInputs() {
    assertThat(rejection(request())).contains("at least one input");
  }

  @Test
  void rejectsShapeContentsMismatch() {
    assertThat(rejection(request(fp32("features", List.of(2L, 3L), 1f, 2f))))
        .isEqualTo("inputs[0] 'features': shape [2, 3] needs 6 FP32 values, got 2");
  }

  @Test
  void rejectsUnsetDatatype() {
    Tensor tensor = fp32("x", List.of(1L), 1f).toBuilder().clearDatatype().build();
    assertThat(rejection(request(tensor))).contains("unsupported datatype (unset)");
  }

  @Test
  void rejectsUnknownDatatypeValue() {
    Tensor tensor = fp32("x", List.of(1L), 1f).toBuilder().setDatatypeValue(99).build();
    assertThat(rejection(request(tensor))).contains("unsupported datatype value 99");
  }

  @Test
  void rejectsContentsInTheWrongField() {
    Tensor tensor =
        fp32("x", List.of(1L), 1f).toBuilder()
            .setContents(TensorContents.newBuilder().addInt64Contents(1))
            .build();
    assertThat(rejection(request(tensor))).contains("field other than the one for FP32");
  }

  @Test
  void rejectsNegativeDimensionAndDuplicateNames() {
    assertThat(rejection(request(fp32("x", List.of(-1L))))).contains("negative dimension");
    assertThat(rejection(request(fp32("x", List.of(), 1f), fp32("x", List.of(), 2f))))
        .contains("duplicate input name 'x'");
  }

  @Test
  void rejectsOverflowingShapeWithoutArithmeticError() {
    assertThat(rejection(request(fp32("x", List.of(Long.MAX_VALUE, 4L), 1f)))).contains("got 1");
  }

  @Test
  void rejectsMissingTensorName() {
    assertThat(rejection(request(fp32("", List.of(), 1f)))).isEqualTo("inputs[0].name is required");
  }

  @Test
  void parsesDatatypeNames() {
    assertThat(DataTypes.parse("fp32")).isEqualTo(DataType.DATA_TYPE_FP32);
    assertThat(DataTypes.parse("DATA_TYPE_INT64")).isEqualTo(DataType.DATA_TYPE_INT64);
    assertThat(DataTypes.shortName(DataType.DATA_TYPE_BOOL)).isEqualTo("BOOL");
    assertThat(DataTypes.parse("fp16")).isEqualTo(DataType.DATA_TYPE_FP16);
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> DataTypes.parse("fp8")))
        .hasMessageContaining("unknown datatype 'fp8'");
  }

  @Test
  void rejectsOverlongNamesNamingTheFieldAndTheLimitBriefly() {
    String huge = "n".repeat(10_000);
    PredictRequest valid = request(fp32("x", List.of(), 1f));

    assertThat(rejection(valid.toBuilder().setModelName(huge).build()))
        .startsWith("model_name 'nnn")
        .contains("…(10000 chars)' is not a model name (expected: 1 to 128 letters or digits")
        .hasSizeLessThan(200);
    assertThat(rejection(valid.toBuilder().setModelVersion(huge).build()))
        .startsWith("model_version: 10000 chars is longer than the limit of 256");
    assertThat(rejection(valid.toBuilder().setRequestId("r".repeat(129)).build()))
        .startsWith("request_id: 129 chars is longer than the limit of 128");
    assertThat(rejection(request(fp32(huge, List.of(), 1f))))
        .startsWith("inputs[0].name: 10000 chars is longer than the limit of 256");
  }

  @Test
  void rejectsModelNamesThatBreakTheNameRule() {
    PredictRequest valid = request(fp32("x", List.of(), 1f));

    for (String name : List.of("a..b", "-x", "x.", "a b", "a/b", "m".repeat(129))) {
      assertThat(rejection(valid.toBuilder().setModelName(name).build()))
          .as(name)
          .contains("is not a model name (expected: 1 to 128 letters or digits, with single");
    }
    assertThatCode(
            () ->
                PredictRequestValidator.validate(valid.toBuilder().setModelName("a.b_c-1").build()))
        .doesNotThrowAnyException();
  }

  @Test
  void acceptsNamesAtTheLimit() {
    PredictRequest atLimit =
        request(fp32("t".repeat(256), List.of(), 1f)).toBuilder()
            .setModelName("m".repeat(ResourceNames.MAX_CHARS))
            .setModelVersion("v".repeat(256))
            .setRequestId("r".repeat(128))
            .build();

    assertThatCode(() -> PredictRequestValidator.validate(atLimit)).doesNotThrowAnyException();
  }

  @Test
  void echoesOnlyABoundedPrefixOfATensorName() {
    String name = "t".repeat(200);
    assertThat(rejection(request(fp32(name, List.of(2L), 1f))))
        .startsWith("inputs[0] '" + "t".repeat(CallerText.MAX_ECHOED) + "…(200 chars)': shape [2]");
  }
}
