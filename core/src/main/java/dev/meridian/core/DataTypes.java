package dev.meridian.core;

import dev.meridian.proto.inference.v1.DataType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Converts datatypes to and from their short names, such as {@code FP32}: the names people type and
 * read, and the datatype strings of the Open Inference Protocol, which are the same.
 */
public final class DataTypes {
  private static final String PREFIX = "DATA_TYPE_";

  /** Every datatype a tensor may have, in the enum's order. */
  public static final List<DataType> SUPPORTED =
      Arrays.stream(DataType.values())
          .filter(type -> type != DataType.UNRECOGNIZED && type != DataType.DATA_TYPE_UNSPECIFIED)
          .toList();

  /** The short names of {@link #SUPPORTED}, for error messages. */
  public static final String NAMES =
      String.join(", ", SUPPORTED.stream().map(DataTypes::shortName).toList());

  private DataTypes() {}

  /** Returns the short name, for example {@code FP32} for {@link DataType#DATA_TYPE_FP32}. */
  public static String shortName(DataType type) {
    String name = type.name();
    return name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
  }

  /**
   * Parses a short or full name, case-insensitively.
   *
   * @throws IllegalArgumentException if the name is no supported datatype
   */
  public static DataType parse(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown datatype "
                        + CallerText.quoted(name)
                        + " (expected one of "
                        + NAMES
                        + ")"));
  }

  /** The datatype a short or full name names, case-insensitively, if any. */
  public static Optional<DataType> find(String name) {
    String upper = name.trim().toUpperCase(Locale.ROOT);
    String full = upper.startsWith(PREFIX) ? upper : PREFIX + upper;
    return SUPPORTED.stream().filter(type -> type.name().equals(full)).findFirst();
  }

  /**
   * The bytes one element takes in the raw little-endian layout, or 0 for BYTES, whose elements
   * each carry their own length.
   */
  public static int elementBytes(DataType type) {
    return switch (type) {
      case DATA_TYPE_BOOL, DATA_TYPE_INT8, DATA_TYPE_UINT8 -> 1;
      case DATA_TYPE_INT16, DATA_TYPE_UINT16, DATA_TYPE_FP16, DATA_TYPE_BF16 -> 2;
      case DATA_TYPE_INT32, DATA_TYPE_UINT32, DATA_TYPE_FP32 -> 4;
      case DATA_TYPE_INT64, DATA_TYPE_UINT64, DATA_TYPE_FP64 -> 8;
      case DATA_TYPE_BYTES, DATA_TYPE_UNSPECIFIED, UNRECOGNIZED -> 0;
    };
  }
}
