package dev.meridian.agent.model.onnx;

import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.meridian.proto.inference.v1.DataType;
import java.util.Optional;

/** Maps ONNX tensor element types to the Meridian datatypes that can carry them. */
final class OnnxElementTypes {
  private static final String PREFIX = "ONNX_TENSOR_ELEMENT_DATA_TYPE_";

  private OnnxElementTypes() {}

  /**
   * Returns the Meridian datatype for {@code type}, or empty when the wire format has none (for
   * example FLOAT16, or the unsigned types, whose values an int field could silently misread).
   */
  static Optional<DataType> toMeridian(OnnxTensorType type) {
    return switch (type) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> Optional.of(DataType.DATA_TYPE_BOOL);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> Optional.of(DataType.DATA_TYPE_INT32);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> Optional.of(DataType.DATA_TYPE_INT64);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> Optional.of(DataType.DATA_TYPE_FP32);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> Optional.of(DataType.DATA_TYPE_FP64);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> Optional.of(DataType.DATA_TYPE_BYTES);
      default -> Optional.empty();
    };
  }

  /** Returns the name the ONNX specification uses, for example {@code FLOAT16}. */
  static String onnxName(OnnxTensorType type) {
    return type.name().startsWith(PREFIX) ? type.name().substring(PREFIX.length()) : type.name();
  }
}
