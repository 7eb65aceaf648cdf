package dev.meridian.core;

import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.TensorContents;

/** Counts the elements a tensor carries, per datatype, and says which content fields are used. */
public final class TensorContentsCount {
  private TensorContentsCount() {}

  /**
   * Returns the number of elements in the content field that belongs to {@code type}. For FP16 and
   * BF16, carried as raw bytes, that is the raw length over two, rounded down; {@link
   * #strayRawBytes} tells whether it divides.
   */
  public static int forType(TensorContents contents, DataType type) {
    return switch (type) {
      case DATA_TYPE_BOOL -> contents.getBoolContentsCount();
      case DATA_TYPE_INT8, DATA_TYPE_INT16, DATA_TYPE_INT32 -> contents.getIntContentsCount();
      case DATA_TYPE_INT64 -> contents.getInt64ContentsCount();
      case DATA_TYPE_UINT8, DATA_TYPE_UINT16, DATA_TYPE_UINT32 -> contents.getUintContentsCount();
      case DATA_TYPE_UINT64 -> contents.getUint64ContentsCount();
      case DATA_TYPE_FP32 -> contents.getFp32ContentsCount();
      case DATA_TYPE_FP64 -> contents.getFp64ContentsCount();
      case DATA_TYPE_BYTES -> contents.getBytesContentsCount();
      case DATA_TYPE_FP16, DATA_TYPE_BF16 -> contents.getRawContents().size() / 2;
      case DATA_TYPE_UNSPECIFIED, UNRECOGNIZED -> 0;
    };
  }

  /** Whether {@code type} carries raw bytes that are not a whole number of elements. */
  public static boolean strayRawBytes(TensorContents contents, DataType type) {
    int size = DataTypes.elementBytes(type);
    return usesRaw(type) && contents.getRawContents().size() % size != 0;
  }

  /** Whether {@code type}'s elements travel as raw bytes (FP16, BF16) rather than typed values. */
  public static boolean usesRaw(DataType type) {
    return type == DataType.DATA_TYPE_FP16 || type == DataType.DATA_TYPE_BF16;
  }

  /** Returns the number of elements across all content fields, raw bytes counted as FP16. */
  public static long total(TensorContents contents) {
    return (long) contents.getBoolContentsCount()
        + contents.getIntContentsCount()
        + contents.getInt64ContentsCount()
        + contents.getUintContentsCount()
        + contents.getUint64ContentsCount()
        + contents.getFp32ContentsCount()
        + contents.getFp64ContentsCount()
        + contents.getBytesContentsCount()
        + contents.getRawContents().size() / 2;
  }
}
