package dev.meridian.agent.model;

import dev.meridian.core.DataTypes;
import dev.meridian.proto.inference.v1.DataType;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The declared name, datatype and shape of one model input or output. A dimension of {@code -1}
 * matches any size (typically the batch dimension).
 *
 * @param name the tensor name
 * @param datatype the element type
 * @param shape the dimensions, {@code -1} for a dynamic one
 */
public record TensorSpec(String name, DataType datatype, List<Long> shape) {
  /** A dimension that matches any size. */
  public static final long DYNAMIC = -1;

  /** Creates a spec; the shape list is copied. */
  public TensorSpec {
    shape = List.copyOf(shape);
  }

  /** Returns whether {@code actual} has this spec's rank and every fixed dimension. */
  public boolean acceptsShape(List<Long> actual) {
    if (actual.size() != shape.size()) {
      return false;
    }
    for (int i = 0; i < shape.size(); i++) {
      if (shape.get(i) != DYNAMIC && !shape.get(i).equals(actual.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Renders the spec as people read it, for example {@code features FP32[-1, 4]}. */
  @Override
  public String toString() {
    return name
        + " "
        + DataTypes.shortName(datatype)
        + shape.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }
}
