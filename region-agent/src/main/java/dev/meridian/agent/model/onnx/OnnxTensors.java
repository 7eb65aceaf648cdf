package dev.meridian.agent.model.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.ByteString;
import dev.meridian.core.CallerText;
import dev.meridian.core.DataTypes;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntUnaryOperator;

/**
 * Converts tensors between Meridian's row-major wire form and ONNX Runtime's native tensors.
 * Stateless and thread-safe.
 */
final class OnnxTensors {
  private OnnxTensors() {}

  /**
   * Creates a native tensor holding {@code tensor}'s elements; the caller closes it.
   *
   * @throws io.grpc.StatusRuntimeException with {@code INVALID_ARGUMENT} for a BYTES element that
   *     is not UTF-8, which an ONNX string tensor cannot hold, or for a datatype that ONNX
   *     Runtime's Java API cannot create a tensor of (UINT16, UINT32, UINT64)
   */
  static OnnxTensor toOnnx(OrtEnvironment environment, Tensor tensor) throws OrtException {
    long[] shape = tensor.getShapeList().stream().mapToLong(Long::longValue).toArray();
    TensorContents contents = tensor.getContents();
    // Direct buffers in native order are handed to ONNX Runtime as they are; heap buffers would be
    // copied once more.
    return switch (tensor.getDatatype()) {
      case DATA_TYPE_FP32 -> {
        FloatBuffer buffer = direct(contents.getFp32ContentsCount(), Float.BYTES).asFloatBuffer();
        for (int i = 0; i < contents.getFp32ContentsCount(); i++) {
          buffer.put(i, contents.getFp32Contents(i));
        }
        yield OnnxTensor.createTensor(environment, buffer, shape);
      }
      case DATA_TYPE_FP64 -> {
        DoubleBuffer buffer =
            direct(contents.getFp64ContentsCount(), Double.BYTES).asDoubleBuffer();
        for (int i = 0; i < contents.getFp64ContentsCount(); i++) {
          buffer.put(i, contents.getFp64Contents(i));
        }
        yield OnnxTensor.createTensor(environment, buffer, shape);
      }
      case DATA_TYPE_INT32 -> {
        IntBuffer buffer = direct(contents.getIntContentsCount(), Integer.BYTES).asIntBuffer();
        for (int i = 0; i < contents.getIntContentsCount(); i++) {
          buffer.put(i, contents.getIntContents(i));
        }
        yield OnnxTensor.createTensor(environment, buffer, shape);
      }
      case DATA_TYPE_INT64 -> {
        LongBuffer buffer = direct(contents.getInt64ContentsCount(), Long.BYTES).asLongBuffer();
        for (int i = 0; i < contents.getInt64ContentsCount(); i++) {
          buffer.put(i, contents.getInt64Contents(i));
        }
        yield OnnxTensor.createTensor(environment, buffer, shape);
      }
      // ONNX stores one byte per boolean: 1 for true, 0 for false.
      case DATA_TYPE_BOOL ->
          byteTensor(
              environment,
              shape,
              contents.getBoolContentsCount(),
              i -> contents.getBoolContents(i) ? 1 : 0,
              OnnxJavaType.BOOL);
      // The request validator has checked that every value is within the narrow type's range.
      case DATA_TYPE_INT8 ->
          byteTensor(
              environment,
              shape,
              contents.getIntContentsCount(),
              contents::getIntContents,
              OnnxJavaType.INT8);
      case DATA_TYPE_UINT8 ->
          byteTensor(
              environment,
              shape,
              contents.getUintContentsCount(),
              contents::getUintContents,
              OnnxJavaType.UINT8);
      case DATA_TYPE_INT16 ->
          shortTensor(
              environment,
              shape,
              contents.getIntContentsCount(),
              contents::getIntContents,
              OnnxJavaType.INT16);
      case DATA_TYPE_FP16 -> halfTensor(environment, shape, contents, OnnxJavaType.FLOAT16);
      case DATA_TYPE_BF16 -> halfTensor(environment, shape, contents, OnnxJavaType.BFLOAT16);
      case DATA_TYPE_BYTES -> {
        String[] strings = new String[contents.getBytesContentsCount()];
        for (int i = 0; i < strings.length; i++) {
          strings[i] = utf8(tensor.getName(), i, contents.getBytesContents(i));
        }
        yield OnnxTensor.createTensor(environment, strings, shape);
      }
      default ->
          throw Status.INVALID_ARGUMENT
              .withDescription(
                  "input "
                      + CallerText.quoted(tensor.getName())
                      + " has datatype "
                      + DataTypes.shortName(tensor.getDatatype())
                      + ", which ONNX Runtime's Java API cannot carry")
              .asRuntimeException();
    };
  }

  /** Copies a native output tensor, with its actual shape, into a Meridian tensor. */
  static Tensor fromOnnx(String name, OnnxTensor value) throws OrtException {
    TensorInfo info = value.getInfo();
    DataType datatype =
        OnnxElementTypes.toMeridian(info.onnxType)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "output '"
                            + name
                            + "' has element type "
                            + OnnxElementTypes.onnxName(info.onnxType)));
    Tensor.Builder tensor = Tensor.newBuilder().setName(name).setDatatype(datatype);
    for (long dimension : info.getShape()) {
      tensor.addShape(dimension);
    }
    TensorContents.Builder contents = tensor.getContentsBuilder();
    switch (datatype) {
      case DATA_TYPE_FP32 -> {
        FloatBuffer buffer = value.getFloatBuffer();
        while (buffer.hasRemaining()) {
          contents.addFp32Contents(buffer.get());
        }
      }
      case DATA_TYPE_FP64 -> {
        DoubleBuffer buffer = value.getDoubleBuffer();
        while (buffer.hasRemaining()) {
          contents.addFp64Contents(buffer.get());
        }
      }
      case DATA_TYPE_INT32 -> {
        IntBuffer buffer = value.getIntBuffer();
        while (buffer.hasRemaining()) {
          contents.addIntContents(buffer.get());
        }
      }
      case DATA_TYPE_INT64 -> {
        LongBuffer buffer = value.getLongBuffer();
        while (buffer.hasRemaining()) {
          contents.addInt64Contents(buffer.get());
        }
      }
      case DATA_TYPE_BOOL -> {
        ByteBuffer buffer = value.getByteBuffer();
        while (buffer.hasRemaining()) {
          contents.addBoolContents(buffer.get() != 0);
        }
      }
      case DATA_TYPE_INT8 -> {
        ByteBuffer buffer = value.getByteBuffer();
        while (buffer.hasRemaining()) {
          contents.addIntContents(buffer.get());
        }
      }
      case DATA_TYPE_UINT8 -> {
        ByteBuffer buffer = value.getByteBuffer();
        while (buffer.hasRemaining()) {
          contents.addUintContents(Byte.toUnsignedInt(buffer.get()));
        }
      }
      case DATA_TYPE_INT16 -> {
        ShortBuffer buffer = value.getShortBuffer();
        while (buffer.hasRemaining()) {
          contents.addIntContents(buffer.get());
        }
      }
      case DATA_TYPE_FP16, DATA_TYPE_BF16 -> {
        // ONNX Runtime hands out the 2-byte elements as they are; the wire wants them
        // little-endian.
        ShortBuffer elements = value.getShortBuffer();
        ByteBuffer raw =
            ByteBuffer.allocate(elements.remaining() * Short.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asShortBuffer().put(elements);
        contents.setRawContents(ByteString.copyFrom(raw.array()));
      }
      case DATA_TYPE_BYTES -> addStrings(value.getValue(), contents);
    }
    return tensor.build();
  }

  /**
   * A tensor of one-byte elements, each the low byte of {@code element(i)}.
   *
   * @param type BOOL, INT8 or UINT8
   */
  private static OnnxTensor byteTensor(
      OrtEnvironment environment,
      long[] shape,
      int count,
      IntUnaryOperator element,
      OnnxJavaType type)
      throws OrtException {
    ByteBuffer buffer = direct(count, Byte.BYTES);
    for (int i = 0; i < count; i++) {
      buffer.put(i, (byte) element.applyAsInt(i));
    }
    return OnnxTensor.createTensor(environment, buffer, shape, type);
  }

  /**
   * A tensor of two-byte elements, each the low two bytes of {@code element(i)}.
   *
   * @param type INT16, FLOAT16 or BFLOAT16
   */
  private static OnnxTensor shortTensor(
      OrtEnvironment environment,
      long[] shape,
      int count,
      IntUnaryOperator element,
      OnnxJavaType type)
      throws OrtException {
    ShortBuffer buffer = direct(count, Short.BYTES).asShortBuffer();
    for (int i = 0; i < count; i++) {
      buffer.put(i, (short) element.applyAsInt(i));
    }
    return OnnxTensor.createTensor(environment, buffer, shape, type);
  }

  /** A FLOAT16 or BFLOAT16 tensor of the little-endian 2-byte elements in raw contents. */
  private static OnnxTensor halfTensor(
      OrtEnvironment environment, long[] shape, TensorContents contents, OnnxJavaType type)
      throws OrtException {
    // Sliced so that index 0 is the first element whatever the ByteString's offset.
    ByteBuffer raw =
        contents.getRawContents().asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
    return shortTensor(
        environment,
        shape,
        raw.remaining() / Short.BYTES,
        i -> raw.getShort(i * Short.BYTES),
        type);
  }

  private static ByteBuffer direct(int elements, int bytesPerElement) {
    return ByteBuffer.allocateDirect(elements * bytesPerElement).order(ByteOrder.nativeOrder());
  }

  private static String utf8(String input, int index, ByteString bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(bytes.asReadOnlyByteBuffer()).toString();
    } catch (CharacterCodingException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "input "
                  + CallerText.quoted(input)
                  + " element "
                  + index
                  + " is not valid UTF-8, which the model's string input requires")
          .asRuntimeException();
    }
  }

  /**
   * Appends the strings of a string tensor in row-major order. ONNX Runtime hands them out only as
   * a nested Java array (or a bare string for a scalar), so they are flattened depth first.
   */
  private static void addStrings(Object value, TensorContents.Builder contents) {
    if (value instanceof Object[] array) {
      for (Object element : array) {
        addStrings(element, contents);
      }
    } else {
      contents.addBytesContents(ByteString.copyFromUtf8((String) value));
    }
  }
}
