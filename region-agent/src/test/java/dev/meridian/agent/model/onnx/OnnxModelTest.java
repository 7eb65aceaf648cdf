package dev.meridian.agent.model.onnx;

import static dev.meridian.agent.model.onnx.OnnxModelWriter.BFLOAT16;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.BOOL;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.DOUBLE;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.FLOAT;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.FLOAT16;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.INT16;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.INT32;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.INT64;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.INT8;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.STRING;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.UINT16;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.UINT32;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.UINT64;
import static dev.meridian.agent.model.onnx.OnnxModelWriter.UINT8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.meridian.agent.model.ModelLoadException;
import dev.meridian.agent.model.TensorSpec;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OnnxModelTest {
  private static final float[][] WEIGHTS = {{0.5f, -1f, 2f}, {1.5f, 0.25f, -0.75f}};
  private static final float[] BIAS = {0.1f, -0.2f};

  @TempDir Path dir;

  /**
   * A logistic layer over 3 features and a dynamic batch: {@code logits = Gemm(features, W, b)}
   * with W stored one row per output ({@code transB=1}), and {@code probability = Sigmoid(logits)}.
   */
  private OnnxModel logistic() throws Exception {
    Path file =
        new OnnxModelWriter()
            .input("features", FLOAT, "batch", 3)
            .floatInitializer("W", new long[] {2, 3}, flatten(WEIGHTS))
            .floatInitializer("b", new long[] {2}, BIAS)
            .node("Gemm", List.of("features", "W", "b"), List.of("logits"), Map.of("transB", 1L))
            .node("Sigmoid", List.of("logits"), List.of("probability"))
            .output("logits", FLOAT, "batch", 2)
            .output("probability", FLOAT, "batch", 2)
            .writeTo(dir.resolve("logistic.onnx"));
    return OnnxModelLoader.load(file, "risk", "3");
  }

  @Test
  void computesGemmAndSigmoidForABatch() throws Exception {
    float[][] rows = {{1f, 2f, 3f}, {-1f, 0.5f, 4f}, {0f, 0f, 0f}};
    try (OnnxModel model = logistic()) {
      List<Tensor> outputs = model.predict(Map.of("features", features(rows)));

      assertThat(outputs).extracting(Tensor::getName).containsExactly("logits", "probability");
      for (Tensor output : outputs) {
        assertThat(output.getDatatype()).isEqualTo(DataType.DATA_TYPE_FP32);
        assertThat(output.getShapeList()).containsExactly(3L, 2L);
      }
      List<Float> logits = outputs.get(0).getContents().getFp32ContentsList();
      List<Float> probabilities = outputs.get(1).getContents().getFp32ContentsList();
      for (int row = 0; row < rows.length; row++) {
        for (int out = 0; out < BIAS.length; out++) {
          double logit = BIAS[out];
          for (int f = 0; f < rows[row].length; f++) {
            logit += (double) WEIGHTS[out][f] * rows[row][f];
          }
          int index = row * BIAS.length + out;
          assertThat((double) logits.get(index)).isCloseTo(logit, within(1e-5));
          assertThat((double) probabilities.get(index))
              .isCloseTo(1 / (1 + Math.exp(-logit)), within(1e-6));
        }
      }
    }
  }

  @Test
  void readsTheSignatureFromTheModel() throws Exception {
    try (OnnxModel model = logistic()) {
      assertThat(model.name()).isEqualTo("risk");
      assertThat(model.version()).isEqualTo("3");
      assertThat(model.signature().inputs()).hasToString("[features FP32[-1, 3]]");
      assertThat(model.signature().outputs())
          .hasToString("[logits FP32[-1, 2], probability FP32[-1, 2]]");
    }
  }

  @Test
  void symbolicAndUnknownDimensionsAreDynamic() throws Exception {
    Path file =
        new OnnxModelWriter()
            .input("x", FLOAT, "batch", null, 3)
            .node("Identity", List.of("x"), List.of("y"))
            .output("y", FLOAT, "batch", null, 3)
            .writeTo(dir.resolve("dims.onnx"));

    try (OnnxModel model = OnnxModelLoader.load(file, "dims", "1")) {
      List<Long> expected = List.of(TensorSpec.DYNAMIC, TensorSpec.DYNAMIC, 3L);
      assertThat(model.signature().inputs())
          .containsExactly(new TensorSpec("x", DataType.DATA_TYPE_FP32, expected));
      assertThat(model.signature().outputs())
          .containsExactly(new TensorSpec("y", DataType.DATA_TYPE_FP32, expected));
    }
  }

  @Test
  void signatureRejectsWrongShapesAndDatatypes() throws Exception {
    try (OnnxModel model = logistic()) {
      Tensor wrongWidth = features(new float[][] {{1f, 2f, 3f, 4f}});
      Tensor wrongType =
          Tensor.newBuilder()
              .setName("features")
              .setDatatype(DataType.DATA_TYPE_FP64)
              .addAllShape(List.of(1L, 3L))
              .setContents(TensorContents.newBuilder().addAllFp64Contents(List.of(1d, 2d, 3d)))
              .build();

      assertThatThrownBy(() -> model.signature().bind("risk", List.of(wrongWidth)))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
          .hasMessageContaining("'features' has shape [1, 4]")
          .hasMessageContaining("expects features FP32[-1, 3]");
      assertThatThrownBy(() -> model.signature().bind("risk", List.of(wrongType)))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
          .hasMessageContaining("'features' has datatype FP64");
    }
  }

  @Test
  void inputsOnnxRuntimeRejectsAreInvalidArgument() throws Exception {
    // The signature check normally stops this first; the runtime's own check is the backstop.
    try (OnnxModel model = logistic()) {
      assertThatThrownBy(
              () -> model.predict(Map.of("features", features(new float[][] {{1f, 2f}}))))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
          .hasMessageContaining("model 'risk' rejected the inputs");
    }
  }

  @Test
  void addsInt64WithoutLosingPrecision() throws Exception {
    Path file =
        new OnnxModelWriter()
            .input("counts", INT64, null, 2)
            .int64Initializer("offset", new long[] {2}, 10L, -(1L << 40))
            .node("Add", List.of("counts", "offset"), List.of("total"))
            .output("total", INT64, null, 2)
            .writeTo(dir.resolve("add.onnx"));
    long big = (1L << 53) + 1; // not representable as a double
    Tensor counts =
        Tensor.newBuilder()
            .setName("counts")
            .setDatatype(DataType.DATA_TYPE_INT64)
            .addAllShape(List.of(2L, 2L))
            .setContents(TensorContents.newBuilder().addAllInt64Contents(List.of(big, 0L, -5L, 7L)))
            .build();

    try (OnnxModel model = OnnxModelLoader.load(file, "adder", "1")) {
      Tensor total = model.predict(Map.of("counts", counts)).get(0);

      assertThat(model.signature().inputs()).hasToString("[counts INT64[-1, 2]]");
      assertThat(total.getShapeList()).containsExactly(2L, 2L);
      assertThat(total.getContents().getInt64ContentsList())
          .containsExactly(big + 10, -(1L << 40), 5L, 7 - (1L << 40));
    }
  }

  static Stream<Arguments> identityCases() {
    return Stream.of(
        Arguments.of(
            DOUBLE,
            DataType.DATA_TYPE_FP64,
            TensorContents.newBuilder().addAllFp64Contents(List.of(1e300, -0.5, Math.PI))),
        Arguments.of(
            INT32,
            DataType.DATA_TYPE_INT32,
            TensorContents.newBuilder()
                .addAllIntContents(List.of(Integer.MIN_VALUE, 0, Integer.MAX_VALUE))),
        Arguments.of(
            BOOL,
            DataType.DATA_TYPE_BOOL,
            TensorContents.newBuilder().addAllBoolContents(List.of(true, false, true))),
        Arguments.of(
            INT8,
            DataType.DATA_TYPE_INT8,
            TensorContents.newBuilder().addAllIntContents(List.of(-128, 0, 127))),
        Arguments.of(
            INT16,
            DataType.DATA_TYPE_INT16,
            TensorContents.newBuilder().addAllIntContents(List.of(-32768, -1, 32767))),
        Arguments.of(
            UINT8,
            DataType.DATA_TYPE_UINT8,
            TensorContents.newBuilder().addAllUintContents(List.of(0, 128, 255))),
        // 1.0, -2.0 and 65504 (the largest half), little-endian.
        Arguments.of(
            FLOAT16,
            DataType.DATA_TYPE_FP16,
            TensorContents.newBuilder().setRawContents(bytes(0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b))),
        // 1.0, -2.0 and 3.140625, little-endian.
        Arguments.of(
            BFLOAT16,
            DataType.DATA_TYPE_BF16,
            TensorContents.newBuilder().setRawContents(bytes(0x80, 0x3f, 0x00, 0xc0, 0x49, 0x40))),
        Arguments.of(
            STRING,
            DataType.DATA_TYPE_BYTES,
            TensorContents.newBuilder()
                .addBytesContents(ByteString.copyFromUtf8("zürich"))
                .addBytesContents(ByteString.EMPTY)
                .addBytesContents(ByteString.copyFromUtf8("東京"))));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("identityCases")
  void carriesEveryDatatypeThroughTheRuntime(
      int onnxType, DataType datatype, TensorContents.Builder contents) throws Exception {
    Path file =
        new OnnxModelWriter()
            .input("x", onnxType, "n")
            .node("Identity", List.of("x"), List.of("y"))
            .output("y", onnxType, "n")
            .writeTo(dir.resolve("identity.onnx"));
    Tensor x =
        Tensor.newBuilder()
            .setName("x")
            .setDatatype(datatype)
            .addShape(3)
            .setContents(contents)
            .build();

    try (OnnxModel model = OnnxModelLoader.load(file, "identity", "1")) {
      Tensor y = model.predict(model.signature().bind("identity", List.of(x))).get(0);

      assertThat(y).isEqualTo(x.toBuilder().setName("y").build());
    }
  }

  @Test
  void rejectsBytesThatAreNotUtf8ForAStringInput() throws Exception {
    Path file =
        new OnnxModelWriter()
            .input("x", STRING, 1)
            .node("Identity", List.of("x"), List.of("y"))
            .output("y", STRING, 1)
            .writeTo(dir.resolve("strings.onnx"));
    Tensor x =
        Tensor.newBuilder()
            .setName("x")
            .setDatatype(DataType.DATA_TYPE_BYTES)
            .addShape(1)
            .setContents(
                TensorContents.newBuilder()
                    .addBytesContents(ByteString.copyFrom(new byte[] {(byte) 0xff})))
            .build();

    try (OnnxModel model = OnnxModelLoader.load(file, "strings", "1")) {
      assertThatThrownBy(() -> model.predict(Map.of("x", x)))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
          .hasMessageContaining("input 'x' element 0 is not valid UTF-8");
    }
  }

  @Test
  void halvesKeepTheirBytesThroughACast() throws Exception {
    // Cast rounds FP32 to FP16 in the runtime, so the output's bytes are ONNX Runtime's own.
    Path file =
        new OnnxModelWriter()
            .input("x", FLOAT, 2)
            .node("Cast", List.of("x"), List.of("half"), Map.of("to", (long) FLOAT16))
            .node("Cast", List.of("x"), List.of("brain"), Map.of("to", (long) BFLOAT16))
            .output("half", FLOAT16, 2)
            .output("brain", BFLOAT16, 2)
            .writeTo(dir.resolve("cast.onnx"));
    Tensor x =
        Tensor.newBuilder()
            .setName("x")
            .setDatatype(DataType.DATA_TYPE_FP32)
            .addShape(2)
            .setContents(TensorContents.newBuilder().addAllFp32Contents(List.of(1f, -2f)))
            .build();

    try (OnnxModel model = OnnxModelLoader.load(file, "cast", "1")) {
      List<Tensor> outputs = model.predict(Map.of("x", x));

      assertThat(outputs.get(0).getContents().getRawContents())
          .isEqualTo(bytes(0x00, 0x3c, 0x00, 0xc0));
      assertThat(outputs.get(1).getContents().getRawContents())
          .isEqualTo(bytes(0x80, 0x3f, 0x00, 0xc0));
    }
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("typesTheJavaApiCannotCarry")
  void elementTypeTheJavaApiCannotCarryFailsAtLoadNamingTheInput(int onnxType, String onnxName)
      throws Exception {
    Path file =
        new OnnxModelWriter()
            .input("wide", onnxType, 2)
            .node("Identity", List.of("wide"), List.of("same"))
            .output("same", onnxType, 2)
            .writeTo(dir.resolve("wide.onnx"));

    assertThatThrownBy(() -> OnnxModelLoader.load(file, "wide", "1"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith(file + ": input 'wide' has element type " + onnxName)
        .hasMessageContaining(
            "(supported: UINT8, INT8, INT16, INT32, INT64, FLOAT16, FLOAT, DOUBLE, STRING, BOOL,"
                + " BFLOAT16)");
  }

  static Stream<Arguments> typesTheJavaApiCannotCarry() {
    return Stream.of(
        Arguments.of(UINT16, "UINT16"),
        Arguments.of(UINT32, "UINT32"),
        Arguments.of(UINT64, "UINT64"));
  }

  @Test
  void aTensorTheJavaApiCannotCarryIsInvalidArgumentNamingTheInputAndDatatype() throws Exception {
    // Binding to the signature stops such a tensor first; this is the runtime boundary's own check.
    Tensor wide =
        Tensor.newBuilder()
            .setName("features")
            .setDatatype(DataType.DATA_TYPE_UINT16)
            .addAllShape(List.of(1L, 3L))
            .setContents(TensorContents.newBuilder().addAllUintContents(List.of(1, 2, 3)))
            .build();

    try (OnnxModel model = logistic()) {
      assertThatThrownBy(() -> model.predict(Map.of("features", wide)))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
          .hasMessageContaining(
              "input 'features' has datatype UINT16, which ONNX Runtime's Java API cannot carry");
    }
  }

  @Test
  void loadErrorsNameTheFile() throws Exception {
    Path garbage =
        Files.write(dir.resolve("garbage.onnx"), "not a model".getBytes(StandardCharsets.UTF_8));
    Path missing = dir.resolve("missing.onnx");

    assertThatThrownBy(() -> OnnxModelLoader.load(garbage, "m", "1"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith(garbage + ": not an ONNX model");
    assertThatThrownBy(() -> OnnxModelLoader.load(missing, "m", "1"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage(missing + ": no such model file");
    assertThatThrownBy(() -> OnnxModelLoader.load(missing, "m", "1", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("intraOpThreads: 0 (expected: > 0)");
  }

  @Test
  void servesConcurrentCallsAndRefusesCallsOnceClosed() throws Exception {
    OnnxModel model = logistic();
    ExecutorService executor = Executors.newFixedThreadPool(4);
    try {
      List<Future<Float>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        float x = i;
        // Only the first feature varies, so logit 0 is 0.5 x + 0.1.
        results.add(
            executor.submit(
                () ->
                    model
                        .predict(Map.of("features", features(new float[][] {{x, 0f, 0f}})))
                        .get(0)
                        .getContents()
                        .getFp32Contents(0)));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat((double) results.get(i).get()).isCloseTo(0.5 * i + 0.1, within(1e-4));
      }
    } finally {
      executor.shutdownNow();
    }

    model.close();
    model.close();

    assertThatThrownBy(() -> model.predict(Map.of("features", features(new float[][] {{1, 2, 3}}))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  private static Tensor features(float[][] rows) {
    TensorContents.Builder contents = TensorContents.newBuilder();
    for (float value : flatten(rows)) {
      contents.addFp32Contents(value);
    }
    return Tensor.newBuilder()
        .setName("features")
        .setDatatype(DataType.DATA_TYPE_FP32)
        .addShape(rows.length)
        .addShape(rows[0].length)
        .setContents(contents)
        .build();
  }

  private static ByteString bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return ByteString.copyFrom(bytes);
  }

  private static float[] flatten(float[][] rows) {
    float[] flat = new float[rows.length * rows[0].length];
    for (int row = 0; row < rows.length; row++) {
      System.arraycopy(rows[row], 0, flat, row * rows[0].length, rows[row].length);
    }
    return flat;
  }
}
