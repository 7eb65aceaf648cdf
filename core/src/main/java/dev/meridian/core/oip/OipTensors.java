package dev.meridian.core.oip;

import com.google.protobuf.ByteString;
import dev.meridian.core.CallerText;
import dev.meridian.core.DataTypes;
import dev.meridian.core.PredictRequestValidator;
import dev.meridian.core.TensorContentsCount;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import dev.meridian.proto.oip.v2.InferTensorContents;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Converts one tensor between the Open Inference Protocol's two forms, typed contents and raw
 * little-endian bytes, and Meridian's {@link Tensor}. OIP's datatype strings are Meridian's short
 * names ({@link DataTypes}). FP16 and BF16 have no typed form in either protocol: Meridian carries
 * them in {@code raw_contents}. Stateless and thread-safe.
 */
public final class OipTensors {
  private static final int LENGTH_PREFIX_BYTES = Integer.BYTES;

  private OipTensors() {}

  /**
   * Reads a tensor given in typed OIP contents.
   *
   * @param where how errors name the tensor, for example {@code input 'features'}
   * @throws StatusRuntimeException with {@code INVALID_ARGUMENT} for an unknown datatype or
   *     contents that do not fit it (FP16 and BF16, which need raw contents, included)
   */
  public static Tensor fromTyped(
      String where, String name, String datatype, List<Long> shape, InferTensorContents typed) {
    DataType type = datatype(where, datatype);
    if (TensorContentsCount.usesRaw(type)) {
      throw invalid(where + ": " + datatype + " has no typed contents; send it raw");
    }
    TensorContents contents =
        TensorContents.newBuilder()
            .addAllBoolContents(typed.getBoolContentsList())
            .addAllIntContents(typed.getIntContentsList())
            .addAllInt64Contents(typed.getInt64ContentsList())
            .addAllUintContents(typed.getUintContentsList())
            .addAllUint64Contents(typed.getUint64ContentsList())
            .addAllFp32Contents(typed.getFp32ContentsList())
            .addAllFp64Contents(typed.getFp64ContentsList())
            .addAllBytesContents(typed.getBytesContentsList())
            .build();
    return checked(where, tensor(name, type, shape, contents));
  }

  /**
   * Reads a tensor given as raw little-endian bytes.
   *
   * @throws StatusRuntimeException with {@code INVALID_ARGUMENT} for an unknown datatype, or bytes
   *     that are not as many elements as the shape needs
   */
  public static Tensor fromRaw(
      String where, String name, String datatype, List<Long> shape, ByteString raw) {
    DataType type = datatype(where, datatype);
    long elements = elements(where, shape);
    int size = DataTypes.elementBytes(type);
    if (size > 0 && raw.size() != elements * size) {
      throw invalid(
          where
              + ": raw contents of "
              + raw.size()
              + " bytes do not fit shape "
              + shape
              + " of "
              + datatype
              + ", which needs "
              + elements * size);
    }
    TensorContents.Builder contents = TensorContents.newBuilder();
    ByteBuffer bytes = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int count = (int) elements;
    switch (type) {
      case DATA_TYPE_BOOL -> {
        for (int i = 0; i < count; i++) {
          contents.addBoolContents(bytes.get() != 0);
        }
      }
      case DATA_TYPE_INT8 -> {
        for (int i = 0; i < count; i++) {
          contents.addIntContents(bytes.get());
        }
      }
      case DATA_TYPE_UINT8 -> {
        for (int i = 0; i < count; i++) {
          contents.addUintContents(Byte.toUnsignedInt(bytes.get()));
        }
      }
      case DATA_TYPE_INT16 -> {
        for (int i = 0; i < count; i++) {
          contents.addIntContents(bytes.getShort());
        }
      }
      case DATA_TYPE_UINT16 -> {
        for (int i = 0; i < count; i++) {
          contents.addUintContents(Short.toUnsignedInt(bytes.getShort()));
        }
      }
      case DATA_TYPE_INT32 -> {
        for (int i = 0; i < count; i++) {
          contents.addIntContents(bytes.getInt());
        }
      }
      case DATA_TYPE_UINT32 -> {
        for (int i = 0; i < count; i++) {
          contents.addUintContents(bytes.getInt());
        }
      }
      case DATA_TYPE_INT64 -> {
        for (int i = 0; i < count; i++) {
          contents.addInt64Contents(bytes.getLong());
        }
      }
      case DATA_TYPE_UINT64 -> {
        for (int i = 0; i < count; i++) {
          contents.addUint64Contents(bytes.getLong());
        }
      }
      case DATA_TYPE_FP32 -> {
        for (int i = 0; i < count; i++) {
          contents.addFp32Contents(bytes.getFloat());
        }
      }
      case DATA_TYPE_FP64 -> {
        for (int i = 0; i < count; i++) {
          contents.addFp64Contents(bytes.getDouble());
        }
      }
      case DATA_TYPE_FP16, DATA_TYPE_BF16 -> contents.setRawContents(raw);
      case DATA_TYPE_BYTES -> readLengthPrefixed(where, raw, count, contents);
      case DATA_TYPE_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalStateException("checked above");
    }
    return checked(where, tensor(name, type, shape, contents.build()));
  }

  /** Whether {@code tensor} can be sent as typed OIP contents; FP16 and BF16 cannot. */
  public static boolean hasTypedForm(Tensor tensor) {
    return !TensorContentsCount.usesRaw(tensor.getDatatype());
  }

  /**
   * The tensor's elements as typed OIP contents.
   *
   * @throws IllegalArgumentException for FP16 and BF16 ({@link #hasTypedForm})
   */
  public static InferTensorContents typed(Tensor tensor) {
    if (!hasTypedForm(tensor)) {
      throw new IllegalArgumentException(tensor.getName() + " has no typed form");
    }
    TensorContents contents = tensor.getContents();
    return InferTensorContents.newBuilder()
        .addAllBoolContents(contents.getBoolContentsList())
        .addAllIntContents(contents.getIntContentsList())
        .addAllInt64Contents(contents.getInt64ContentsList())
        .addAllUintContents(contents.getUintContentsList())
        .addAllUint64Contents(contents.getUint64ContentsList())
        .addAllFp32Contents(contents.getFp32ContentsList())
        .addAllFp64Contents(contents.getFp64ContentsList())
        .addAllBytesContents(contents.getBytesContentsList())
        .build();
  }

  /** The tensor's elements as raw little-endian bytes, in the protocol's layout. */
  public static ByteString raw(Tensor tensor) {
    DataType type = tensor.getDatatype();
    TensorContents contents = tensor.getContents();
    if (TensorContentsCount.usesRaw(type)) {
      return contents.getRawContents();
    }
    if (type == DataType.DATA_TYPE_BYTES) {
      return lengthPrefixed(contents.getBytesContentsList());
    }
    int count = TensorContentsCount.forType(contents, type);
    ByteBuffer bytes =
        ByteBuffer.allocate(count * DataTypes.elementBytes(type)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      switch (type) {
        case DATA_TYPE_BOOL -> bytes.put((byte) (contents.getBoolContents(i) ? 1 : 0));
        case DATA_TYPE_INT8 -> bytes.put((byte) contents.getIntContents(i));
        case DATA_TYPE_UINT8 -> bytes.put((byte) contents.getUintContents(i));
        case DATA_TYPE_INT16 -> bytes.putShort((short) contents.getIntContents(i));
        case DATA_TYPE_UINT16 -> bytes.putShort((short) contents.getUintContents(i));
        case DATA_TYPE_INT32 -> bytes.putInt(contents.getIntContents(i));
        case DATA_TYPE_UINT32 -> bytes.putInt(contents.getUintContents(i));
        case DATA_TYPE_INT64 -> bytes.putLong(contents.getInt64Contents(i));
        case DATA_TYPE_UINT64 -> bytes.putLong(contents.getUint64Contents(i));
        case DATA_TYPE_FP32 -> bytes.putFloat(contents.getFp32Contents(i));
        case DATA_TYPE_FP64 -> bytes.putDouble(contents.getFp64Contents(i));
        default -> throw new IllegalArgumentException("no raw layout for " + type);
      }
    }
    bytes.flip();
    return ByteString.copyFrom(bytes);
  }

  private static ByteString lengthPrefixed(List<ByteString> elements) {
    int total = 0;
    for (ByteString element : elements) {
      total = Math.addExact(total, LENGTH_PREFIX_BYTES + element.size());
    }
    ByteBuffer bytes = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    for (ByteString element : elements) {
      bytes.putInt(element.size());
      element.copyTo(bytes);
    }
    bytes.flip();
    return ByteString.copyFrom(bytes);
  }

  private static void readLengthPrefixed(
      String where, ByteString raw, int count, TensorContents.Builder contents) {
    ByteBuffer bytes = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      if (bytes.remaining() < LENGTH_PREFIX_BYTES) {
        throw invalid(where + ": raw contents end before element " + i + "'s length");
      }
      long length = Integer.toUnsignedLong(bytes.getInt());
      if (length > bytes.remaining()) {
        throw invalid(
            where
                + ": raw element "
                + i
                + " claims "
                + length
                + " bytes, but only "
                + bytes.remaining()
                + " remain");
      }
      int start = bytes.position();
      contents.addBytesContents(raw.substring(start, start + (int) length));
      bytes.position(start + (int) length);
    }
    if (bytes.hasRemaining()) {
      throw invalid(
          where + ": " + bytes.remaining() + " raw bytes left over after " + count + " elements");
    }
  }

  private static DataType datatype(String where, String datatype) {
    return DataTypes.find(datatype)
        .filter(type -> type.name().endsWith("_" + datatype))
        .orElseThrow(
            () ->
                invalid(
                    where
                        + ": unknown datatype "
                        + CallerText.quoted(datatype)
                        + " (expected one of "
                        + DataTypes.NAMES
                        + ")"));
  }

  private static long elements(String where, List<Long> shape) {
    long count = 1;
    for (long dimension : shape) {
      if (dimension < 0) {
        throw invalid(where + ": shape " + shape + " has a negative dimension");
      }
      try {
        count = Math.multiplyExact(count, dimension);
      } catch (ArithmeticException e) {
        count = Long.MAX_VALUE;
      }
    }
    if (count > Integer.MAX_VALUE) {
      throw invalid(where + ": shape " + shape + " has more elements than a message can carry");
    }
    return count;
  }

  private static Tensor tensor(String name, DataType type, List<Long> shape, TensorContents c) {
    return Tensor.newBuilder()
        .setName(name)
        .setDatatype(type)
        .addAllShape(shape)
        .setContents(c)
        .build();
  }

  private static Tensor checked(String where, Tensor tensor) {
    PredictRequestValidator.validateTensor(where, tensor);
    return tensor;
  }

  private static StatusRuntimeException invalid(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
  }
}
