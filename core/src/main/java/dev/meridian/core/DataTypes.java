package dev.meridian.core;

import dev.meridian.proto.inference.v1.DataType;
import java.util.Locale;

/** Converts datatypes to and from the short names people type and read, such as {@code FP32}. */
public final class DataTypes {
  private static final String PREFIX = "DATA_TYPE_";

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
    String upper = name.trim().toUpperCase(Locale.ROOT);
    String full = upper.startsWith(PREFIX) ? upper : PREFIX + upper;
    for (DataType type : DataType.values()) {
      if (type != DataType.UNRECOGNIZED
          && type != DataType.DATA_TYPE_UNSPECIFIED
          && type.name().equals(full)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown datatype '" + name + "' (expected one of BOOL, INT32, INT64, FP32, FP64, BYTES)");
  }
}
