package dev.meridian.gateway;

import dev.meridian.core.DataTypes;
import dev.meridian.core.PredictRequestValidator;
import dev.meridian.core.TensorValues;
import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import io.grpc.StatusRuntimeException;
import java.util.List;

/**
 * Reads a tensor written in a config file, as default responses are: {@code {name: probability,
 * datatype: FP32, shape: [1, 1], values: [0.5]}}.
 */
final class TensorConfig {
  private TensorConfig() {}

  static Tensor parse(ConfigNode node) {
    node.allowOnly("name", "datatype", "shape", "values");
    DataType type;
    try {
      type = DataTypes.parse(node.string("datatype"));
    } catch (IllegalArgumentException e) {
      throw node.invalid(
          "datatype", node.string("datatype"), "BOOL, INT32, INT64, FP32, FP64 or BYTES");
    }
    Tensor.Builder tensor = Tensor.newBuilder().setName(node.string("name")).setDatatype(type);
    for (String dim : node.strings("shape")) {
      try {
        tensor.addShape(Long.parseLong(dim));
      } catch (NumberFormatException e) {
        throw node.invalid("shape", dim, "a list of non-negative integers");
      }
    }
    TensorContents.Builder contents = TensorContents.newBuilder();
    List<String> values = node.strings("values");
    for (String value : values) {
      try {
        TensorValues.append(contents, type, value);
      } catch (IllegalArgumentException e) {
        throw node.invalid("values", value, "a " + DataTypes.shortName(type) + " value");
      }
    }
    Tensor result = tensor.setContents(contents).build();
    try {
      PredictRequestValidator.validateTensor(node.keyPath("values"), result);
    } catch (StatusRuntimeException e) {
      throw new ConfigException(e.getStatus().getDescription(), e);
    }
    return result;
  }
}
