package dev.meridian.agent.model.onnx;

import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.meridian.proto.inference.v1.DataType;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Maps ONNX tensor element types to the Meridian datatypes that can carry them. */
final class OnnxElementTypes {
  private static final String PREFIX = "ONNX_TENSOR_ELEMENT_DATA_TYPE_";

  /** The ONNX names of every element type {@link #toMeridian} maps, for error messages. */
  static final String SUPPORTED =
      Arrays.stream(OnnxTensorType.values())
          .filter(type -> toMeridian(type).isPresent())
          .map(OnnxElementTypes::onnxName)
          .collect(Collectors.joining(", "));

  private OnnxElementTypes() {}

  /**
   * Returns the Meridian datatype for {@code type}, or empty when Meridian cannot carry it to or
   * from ONNX Runtime: complex and 8-bit float types have no Meridian datatype, and ONNX Runtime's
   * Java API can neither create nor read UINT16, UINT32 or UINT64 tensors.
   */
  static Optional<DataType> toMeridian(OnnxTensorType type) {
    return switch (type) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> Optional.of(DataType.DATA_TYPE_BOOL);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> Optional.of(DataType.DATA_TYPE_INT8);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> Optional.of(DataType.DATA_TYPE_INT16);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> Optional.of(DataType.DATA_TYPE_INT32);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> Optional.of(DataType.DATA_TYPE_INT64);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> Optional.of(DataType.DATA_TYPE_UINT8);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> Optional.of(DataType.DATA_TYPE_FP16);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> Optional.of(DataType.DATA_TYPE_BF16);
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
