package dev.meridian.core;

import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.TensorContents;

/** Counts the elements a tensor carries, per datatype, and says which content fields are used. */
public final class TensorContentsCount {
  private TensorContentsCount() {}

  /** Returns the number of elements in the content field that belongs to {@code type}. */
  public static int forType(TensorContents contents, DataType type) {
    return switch (type) {
      case DATA_TYPE_BOOL -> contents.getBoolContentsCount();
      case DATA_TYPE_INT32 -> contents.getIntContentsCount();
      case DATA_TYPE_INT64 -> contents.getInt64ContentsCount();
      case DATA_TYPE_FP32 -> contents.getFp32ContentsCount();
      case DATA_TYPE_FP64 -> contents.getFp64ContentsCount();
      case DATA_TYPE_BYTES -> contents.getBytesContentsCount();
      case DATA_TYPE_UNSPECIFIED, UNRECOGNIZED -> 0;
    };
  }

  /** Returns the number of elements across all content fields. */
  public static long total(TensorContents contents) {
    return (long) contents.getBoolContentsCount()
        + contents.getIntContentsCount()
        + contents.getInt64ContentsCount()
        + contents.getFp32ContentsCount()
        + contents.getFp64ContentsCount()
        + contents.getBytesContentsCount();
  }
}
