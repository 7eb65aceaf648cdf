package dev.meridian.deploy;

import dev.meridian.core.DataTypes;
import dev.meridian.core.TensorContentsCount;
import dev.meridian.core.TensorValues;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a tensor typed on the command line: {@code name=1,2,3} is an FP32 tensor of shape [1, 3];
 * {@code name:INT64[2,2]=1,2,3,4} names the datatype and shape.
 */
final class TensorArgument {
  private static final Pattern FORM =
      Pattern.compile(
          "(?<name>[^:=\\[\\]]+)(?::(?<type>[A-Za-z0-9_]+)(?:\\[(?<shape>[0-9, ]*)])?)?=(?<values>.*)");

  private TensorArgument() {}

  /**
   * Parses one argument.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  static Tensor parse(String argument) {
    Matcher matcher = FORM.matcher(argument);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "--input '" + argument + "': expected name=v1,v2,... or name:TYPE[d1,d2]=v1,v2,...");
    }
    DataType type =
        matcher.group("type") == null
            ? DataType.DATA_TYPE_FP32
            : DataTypes.parse(matcher.group("type"));
    if (TensorContentsCount.usesRaw(type)) {
      throw new IllegalArgumentException(
          "--input '"
              + argument
              + "': "
              + DataTypes.shortName(type)
              + " values cannot be written as text; use FP32");
    }
    List<String> values = splitValues(matcher.group("values"));
    List<Long> shape =
        matcher.group("shape") == null
            ? List.of(1L, (long) values.size())
            : parseShape(argument, matcher.group("shape"));
    TensorContents.Builder contents = TensorContents.newBuilder();
    for (String value : values) {
      try {
        TensorValues.append(contents, type, value.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--input '"
                + argument
                + "': '"
                + value.trim()
                + "' is not a "
                + DataTypes.shortName(type)
                + " value",
            e);
      }
    }
    return Tensor.newBuilder()
        .setName(matcher.group("name").trim())
        .setDatatype(type)
        .addAllShape(shape)
        .setContents(contents)
        .build();
  }

  private static List<String> splitValues(String values) {
    return values.isBlank() ? List.of() : List.of(values.split(",", -1));
  }

  private static List<Long> parseShape(String argument, String shape) {
    List<Long> dims = new ArrayList<>();
    if (shape.isBlank()) {
      return dims;
    }
    for (String dim : shape.split(",", -1)) {
      try {
        dims.add(Long.parseLong(dim.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--input '" + argument + "': shape dimension '" + dim.trim() + "' is not a number", e);
      }
    }
    return dims;
  }
}
