package dev.meridian.core;

import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.Tensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that a Predict request is well formed on its own, before any model sees it: a valid model
 * name ({@link ResourceNames}), names, version and request id no longer than their limits, at least
 * one input, unique input names, and tensors whose datatype, shape and contents agree. Descriptions
 * echo caller text only through {@link CallerText}. Whether the inputs fit a particular model is
 * the model's own check.
 *
 * <p>Stateless and thread-safe.
 */
public final class PredictRequestValidator {
  /** Upper bound on a tensor's rank; deeper shapes are almost surely garbage. */
  static final int MAX_RANK = 32;

  /** The longest model version or tensor name accepted, in characters. */
  public static final int MAX_NAME_CHARS = 256;

  /** The longest request id accepted, in characters. */
  public static final int MAX_REQUEST_ID_CHARS = 128;

  private PredictRequestValidator() {}

  /**
   * Validates {@code request}.
   *
   * @throws StatusRuntimeException with {@code INVALID_ARGUMENT} and a description naming the
   *     offending field
   */
  public static void validate(PredictRequest request) {
    validateModelName("model_name", request.getModelName());
    checkLength("model_version", request.getModelVersion(), MAX_NAME_CHARS);
    checkLength("request_id", request.getRequestId(), MAX_REQUEST_ID_CHARS);
    List<Tensor> inputs = request.getInputsList();
    if (inputs.isEmpty()) {
      throw invalid("inputs: at least one input tensor is required");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < inputs.size(); i++) {
      Tensor tensor = inputs.get(i);
      String where = "inputs[" + i + "]";
      if (tensor.getName().isEmpty()) {
        throw invalid(where + ".name is required");
      }
      checkLength(where + ".name", tensor.getName(), MAX_NAME_CHARS);
      if (!names.add(tensor.getName())) {
        throw invalid(where + ": duplicate input name " + CallerText.quoted(tensor.getName()));
      }
      validateTensor(where + " " + CallerText.quoted(tensor.getName()), tensor);
    }
  }

  /**
   * Validates a model name given in {@code field}: present, and a {@link ResourceNames} name.
   *
   * @throws StatusRuntimeException with {@code INVALID_ARGUMENT} naming the field
   */
  public static void validateModelName(String field, String name) {
    if (name.isBlank()) {
      throw invalid(field + " is required");
    }
    if (!ResourceNames.isValid(name)) {
      throw invalid(
          field
              + " "
              + CallerText.quoted(name)
              + " is not a model name (expected: "
              + ResourceNames.RULE
              + ")");
    }
  }

  /**
   * Validates one tensor: a supported datatype, non-negative dimensions, and exactly as many
   * elements, all in the datatype's content field, as the shape says.
   *
   * @param where how to name the tensor in an error, for example {@code inputs[0] 'features'}
   * @throws StatusRuntimeException with {@code INVALID_ARGUMENT}
   */
  public static void validateTensor(String where, Tensor tensor) {
    DataType type = tensor.getDatatype();
    if (type == DataType.DATA_TYPE_UNSPECIFIED || type == DataType.UNRECOGNIZED) {
      throw invalid(
          where
              + ": unsupported datatype "
              + (type == DataType.UNRECOGNIZED ? "value " + tensor.getDatatypeValue() : "(unset)")
              + " (expected one of "
              + DataTypes.NAMES
              + ")");
    }
    if (tensor.getShapeCount() > MAX_RANK) {
      throw invalid(
          where + ": rank " + tensor.getShapeCount() + " is too large (max " + MAX_RANK + ")");
    }
    long expected = 1;
    for (long dim : tensor.getShapeList()) {
      if (dim < 0) {
        throw invalid(where + ": shape " + tensor.getShapeList() + " has a negative dimension");
      }
      expected = multiplyCapped(expected, dim);
    }
    if (TensorContentsCount.strayRawBytes(tensor.getContents(), type)) {
      throw invalid(
          where
              + ": raw contents of "
              + tensor.getContents().getRawContents().size()
              + " bytes are no whole number of "
              + DataTypes.shortName(type)
              + " elements");
    }
    int inField = TensorContentsCount.forType(tensor.getContents(), type);
    long total = TensorContentsCount.total(tensor.getContents());
    if (total != inField) {
      throw invalid(
          where
              + ": contents are in a field other than the one for "
              + DataTypes.shortName(type)
              + " ("
              + (total - inField)
              + " stray values)");
    }
    if (inField != expected) {
      throw invalid(
          where
              + ": shape "
              + tensor.getShapeList()
              + " needs "
              + expected
              + " "
              + DataTypes.shortName(type)
              + " values, got "
              + inField);
    }
    checkRange(where, tensor);
  }

  /** Fails when a narrow integer type carries a value outside its range. */
  private static void checkRange(String where, Tensor tensor) {
    DataType type = tensor.getDatatype();
    long min;
    long max;
    List<? extends Number> values;
    switch (type) {
      case DATA_TYPE_INT8 -> {
        min = Byte.MIN_VALUE;
        max = Byte.MAX_VALUE;
        values = tensor.getContents().getIntContentsList();
      }
      case DATA_TYPE_INT16 -> {
        min = Short.MIN_VALUE;
        max = Short.MAX_VALUE;
        values = tensor.getContents().getIntContentsList();
      }
      case DATA_TYPE_UINT8 -> {
        min = 0;
        max = 0xFF;
        values = tensor.getContents().getUintContentsList();
      }
      case DATA_TYPE_UINT16 -> {
        min = 0;
        max = 0xFFFF;
        values = tensor.getContents().getUintContentsList();
      }
      default -> {
        return;
      }
    }
    boolean unsigned = min == 0;
    for (int i = 0; i < values.size(); i++) {
      int raw = values.get(i).intValue();
      long value = unsigned ? Integer.toUnsignedLong(raw) : raw;
      if (value < min || value > max) {
        throw invalid(
            where
                + ": element "
                + i
                + " is "
                + value
                + ", outside "
                + DataTypes.shortName(type)
                + "'s range "
                + min
                + ".."
                + max);
      }
    }
  }

  /**
   * Fails when {@code value} of {@code field} is longer than {@code max} characters.
   *
   * @throws StatusRuntimeException with {@code INVALID_ARGUMENT} naming the field and the limit
   */
  private static void checkLength(String field, String value, int max) {
    if (value.length() > max) {
      throw invalid(
          field
              + ": "
              + value.length()
              + " chars is longer than the limit of "
              + max
              + " ("
              + CallerText.quoted(value)
              + ")");
    }
  }

  private static long multiplyCapped(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  private static StatusRuntimeException invalid(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
  }
}
