package dev.meridian.core.oip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.meridian.core.DataTypes;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import dev.meridian.proto.oip.v2.InferTensorContents;
import dev.meridian.proto.oip.v2.ModelInferRequest;
import dev.meridian.proto.oip.v2.ModelInferResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OipTensorsTest {
  /** Two elements of every datatype, extremes included. */
  static List<Tensor> everyDatatype() {
    return DataTypes.SUPPORTED.stream().map(OipTensorsTest::sample).toList();
  }

  private static Tensor sample(DataType type) {
    TensorContents.Builder contents = TensorContents.newBuilder();
    switch (type) {
      case DATA_TYPE_BOOL -> contents.addBoolContents(true).addBoolContents(false);
      case DATA_TYPE_INT8 -> contents.addIntContents(-128).addIntContents(127);
      case DATA_TYPE_INT16 -> contents.addIntContents(-32768).addIntContents(32767);
      case DATA_TYPE_INT32 -> contents.addIntContents(Integer.MIN_VALUE).addIntContents(7);
      case DATA_TYPE_INT64 -> contents.addInt64Contents(Long.MIN_VALUE).addInt64Contents(7);
      case DATA_TYPE_UINT8 -> contents.addUintContents(0).addUintContents(255);
      case DATA_TYPE_UINT16 -> contents.addUintContents(0).addUintContents(65535);
      case DATA_TYPE_UINT32 -> contents.addUintContents(-1).addUintContents(1);
      case DATA_TYPE_UINT64 -> contents.addUint64Contents(-1L).addUint64Contents(1);
      case DATA_TYPE_FP32 -> contents.addFp32Contents(-0.5f).addFp32Contents(3e38f);
      case DATA_TYPE_FP64 -> contents.addFp64Contents(-0.5).addFp64Contents(1e300);
      case DATA_TYPE_BYTES ->
          contents
              .addBytesContents(ByteString.copyFromUtf8("ab"))
              .addBytesContents(ByteString.EMPTY);
      case DATA_TYPE_FP16, DATA_TYPE_BF16 ->
          contents.setRawContents(ByteString.copyFrom(new byte[] {0x00, 0x3c, 0x00, (byte) 0xc0}));
      default -> throw new IllegalArgumentException(type.name());
    }
    return Tensor.newBuilder()
        .setName("t")
        .setDatatype(type)
        .addShape(1)
        .addShape(2)
        .setContents(contents)
        .build();
  }

  @ParameterizedTest
  @MethodSource("everyDatatype")
  void rawContentsRoundTrip(Tensor tensor) {
    ByteString raw = OipTensors.raw(tensor);
    String name = DataTypes.shortName(tensor.getDatatype());

    Tensor read = OipTensors.fromRaw("input 't'", "t", name, tensor.getShapeList(), raw);

    assertThat(read).isEqualTo(tensor);
  }

  @ParameterizedTest
  @MethodSource("everyDatatype")
  void typedContentsRoundTripWhereTheProtocolHasThem(Tensor tensor) {
    String name = DataTypes.shortName(tensor.getDatatype());
    if (!OipTensors.hasTypedForm(tensor)) {
      assertThatThrownBy(
              () ->
                  OipTensors.fromTyped(
                      "input 't'",
                      "t",
                      name,
                      tensor.getShapeList(),
                      InferTensorContents.getDefaultInstance()))
          .hasMessageContaining("input 't': " + name + " has no typed contents; send it raw");
      return;
    }
    Tensor read =
        OipTensors.fromTyped(
            "input 't'", "t", name, tensor.getShapeList(), OipTensors.typed(tensor));

    assertThat(read).isEqualTo(tensor);
  }

  @Test
  void rawLayoutIsLittleEndianWithLengthPrefixedBytes() {
    Tensor ints =
        Tensor.newBuilder()
            .setName("n")
            .setDatatype(DataType.DATA_TYPE_INT32)
            .addShape(1)
            .setContents(TensorContents.newBuilder().addIntContents(0x01020304))
            .build();
    Tensor strings =
        Tensor.newBuilder()
            .setName("s")
            .setDatatype(DataType.DATA_TYPE_BYTES)
            .addShape(1)
            .setContents(
                TensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("hi")))
            .build();

    assertThat(OipTensors.raw(ints).toByteArray()).containsExactly(4, 3, 2, 1);
    assertThat(OipTensors.raw(strings).toByteArray()).containsExactly(2, 0, 0, 0, 'h', 'i');
  }

  @Test
  void badTensorsAreRefusedNamingTheTensor() {
    List<Long> shape = List.of(1L, 2L);
    assertInvalid(
        () -> OipTensors.fromRaw("inputs[0] 'x'", "x", "FLOAT", shape, ByteString.EMPTY),
        "inputs[0] 'x': unknown datatype 'FLOAT' (expected one of BOOL, INT32, INT64, FP32, FP64,"
            + " BYTES, INT8");
    assertInvalid(
        () -> OipTensors.fromRaw("inputs[0] 'x'", "x", "fp32", shape, ByteString.EMPTY),
        "unknown datatype 'fp32'");
    assertInvalid(
        () ->
            OipTensors.fromRaw(
                "inputs[0] 'x'", "x", "FP32", shape, ByteString.copyFrom(new byte[7])),
        "inputs[0] 'x': raw contents of 7 bytes do not fit shape [1, 2] of FP32, which needs 8");
    assertInvalid(
        () ->
            OipTensors.fromRaw(
                "inputs[0] 'x'",
                "x",
                "BYTES",
                shape,
                ByteString.copyFrom(new byte[] {9, 0, 0, 0, 1})),
        "inputs[0] 'x': raw element 0 claims 9 bytes, but only 1 remain");
    assertInvalid(
        () ->
            OipTensors.fromTyped(
                "inputs[0] 'x'",
                "x",
                "FP32",
                shape,
                InferTensorContents.newBuilder().addFp32Contents(1).build()),
        "inputs[0] 'x': shape [1, 2] needs 2 FP32 values, got 1");
    assertInvalid(
        () ->
            OipTensors.fromTyped(
                "inputs[0] 'x'",
                "x",
                "INT8",
                shape,
                InferTensorContents.newBuilder().addIntContents(1).addIntContents(300).build()),
        "inputs[0] 'x': element 1 is 300, outside INT8's range -128..127");
    assertInvalid(
        () ->
            OipTensors.fromTyped(
                "inputs[0] 'x'",
                "x",
                "FP32",
                List.of(-1L, 2L),
                InferTensorContents.getDefaultInstance()),
        "inputs[0] 'x': shape [-1, 2] has a negative dimension");
  }

  @Test
  void requestsMixingRawAndTypedContentsAreRefused() {
    ModelInferRequest.Builder request =
        ModelInferRequest.newBuilder()
            .setModelName("m")
            .addInputs(
                ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("a")
                    .setDatatype("FP32")
                    .addShape(1)
                    .setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
            .addInputs(
                ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("b")
                    .setDatatype("FP32")
                    .addShape(1));

    assertInvalid(
        () -> OipRequests.toPredict(request.clone().addRawInputContents(ByteString.EMPTY).build()),
        "raw_input_contents has 1 entries for 2 inputs; it needs one per input, in order");
    assertInvalid(
        () ->
            OipRequests.toPredict(
                request
                    .clone()
                    .addRawInputContents(ByteString.EMPTY)
                    .addRawInputContents(ByteString.EMPTY)
                    .build()),
        "inputs[0] 'a': contents given although the request carries raw_input_contents");
  }

  @Test
  void requestsTranslateBothWays() {
    PredictRequest predict =
        PredictRequest.newBuilder()
            .setModelName("m")
            .setModelVersion("2")
            .setRequestId("r")
            .addAllInputs(
                everyDatatype().stream()
                    .map(t -> t.toBuilder().setName(t.getDatatype().name()).build())
                    .toList())
            .build();

    ModelInferRequest infer = OipRequests.toModelInfer(predict);

    assertThat(infer.getRawInputContentsCount())
        .as("FP16 has no typed form, so every input goes raw")
        .isEqualTo(predict.getInputsCount());
    assertThat(OipRequests.toPredict(infer)).isEqualTo(predict);
  }

  @Test
  void answersKeepTheRequestedOutputsInTheirOrder() {
    PredictResponse response =
        PredictResponse.newBuilder()
            .setModelName("m")
            .setRequestId("r")
            .addOutputs(sample(DataType.DATA_TYPE_FP32).toBuilder().setName("a"))
            .addOutputs(sample(DataType.DATA_TYPE_INT64).toBuilder().setName("b"))
            .build();

    ModelInferResponse typed = OipResponses.fromPredict(response, false, List.of("b", "a")).build();
    ModelInferResponse raw = OipResponses.fromPredict(response, true, List.of()).build();

    assertThat(typed.getOutputsList()).extracting(o -> o.getName()).containsExactly("b", "a");
    assertThat(typed.getId()).isEqualTo("r");
    assertThat(typed.getRawOutputContentsCount()).isZero();
    assertThat(raw.getRawOutputContentsCount()).isEqualTo(2);
    assertThat(OipResponses.toPredict(raw)).isEqualTo(response);
    assertThat(OipResponses.toPredict(typed).getOutputs(0).getName()).isEqualTo("b");
    assertInvalid(
        () -> OipResponses.fromPredict(response, false, List.of("c")),
        "outputs[0] 'c' is not an output of model 'm' (its outputs: [a, b])");
  }

  @Test
  void aMalformedAnswerFromAModelServerIsInternal() {
    ModelInferResponse malformed =
        ModelInferResponse.newBuilder()
            .addOutputs(
                ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName("p")
                    .setDatatype("FP32")
                    .addShape(2))
            .addRawOutputContents(ByteString.copyFrom(new byte[3]))
            .build();

    assertThatThrownBy(() -> OipResponses.toPredict(malformed))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL))
        .hasMessageContaining(
            "the model server's answer is malformed: outputs[0] 'p': raw contents of 3 bytes");
  }

  private static void assertInvalid(Runnable call, String description) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains(description);
            });
  }
}
