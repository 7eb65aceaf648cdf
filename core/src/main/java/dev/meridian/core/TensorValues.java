package dev.meridian.core;

import com.google.protobuf.ByteString;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.TensorContents;
import java.util.Locale;

/** Turns values written as text (on a command line, in a config file) into tensor elements. */
public final class TensorValues {
  private TensorValues() {}

  /**
   * Appends {@code value}, read as a {@code type} element, to {@code contents}.
   *
   * @throws IllegalArgumentException when the text is no such value
   */
  public static void append(TensorContents.Builder contents, DataType type, String value) {
    switch (type) {
      case DATA_TYPE_BOOL -> contents.addBoolContents(parseBool(value));
      case DATA_TYPE_INT8, DATA_TYPE_INT16, DATA_TYPE_INT32 ->
          contents.addIntContents(Integer.parseInt(value));
      case DATA_TYPE_UINT8, DATA_TYPE_UINT16, DATA_TYPE_UINT32 ->
          contents.addUintContents(Integer.parseUnsignedInt(value));
      case DATA_TYPE_UINT64 -> contents.addUint64Contents(Long.parseUnsignedLong(value));
      case DATA_TYPE_INT64 -> contents.addInt64Contents(Long.parseLong(value));
      case DATA_TYPE_FP32 -> contents.addFp32Contents(Float.parseFloat(value));
      case DATA_TYPE_FP64 -> contents.addFp64Contents(Double.parseDouble(value));
      case DATA_TYPE_BYTES -> contents.addBytesContents(ByteString.copyFromUtf8(value));
      default ->
          throw new IllegalArgumentException(
              DataTypes.shortName(type) + " values cannot be written as text; send them raw");
    }
  }

  private static boolean parseBool(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new IllegalArgumentException("not a boolean: " + value);
    };
  }
}
