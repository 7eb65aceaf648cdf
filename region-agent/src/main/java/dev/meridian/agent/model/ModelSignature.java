package dev.meridian.agent.model;

import dev.meridian.core.CallerText;
import dev.meridian.core.DataTypes;
import dev.meridian.proto.inference.v1.Tensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs a model takes and the outputs it produces. Checks a request's inputs against the
 * declared inputs, so a model only ever sees tensors of the names, types and shapes it declared.
 *
 * @param inputs the declared inputs, all required
 * @param outputs the declared outputs
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
  /** Creates a signature; the lists are copied. */
  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /**
   * Checks that {@code tensors} are exactly this signature's inputs. The tensors themselves must
   * already be well formed (see {@code PredictRequestValidator}).
   *
   * @return the tensors keyed by input name
   * @throws StatusRuntimeException with {@code INVALID_ARGUMENT} naming the offending input
   */
  public Map<String, Tensor> bind(String modelName, List<Tensor> tensors) {
    Map<String, Tensor> byName = new LinkedHashMap<>();
    for (Tensor tensor : tensors) {
      byName.put(tensor.getName(), tensor);
    }
    for (String name : byName.keySet()) {
      if (inputs.stream().noneMatch(spec -> spec.name().equals(name))) {
        throw invalid(
            "model '"
                + modelName
                + "' has no input named "
                + CallerText.quoted(name)
                + "; its inputs are "
                + inputs);
      }
    }
    for (TensorSpec spec : inputs) {
      Tensor tensor = byName.get(spec.name());
      if (tensor == null) {
        throw invalid("model '" + modelName + "' requires input " + spec);
      }
      if (tensor.getDatatype() != spec.datatype()) {
        throw invalid(
            "input '"
                + spec.name()
                + "' has datatype "
                + DataTypes.shortName(tensor.getDatatype())
                + "; model '"
                + modelName
                + "' expects "
                + spec);
      }
      if (!spec.acceptsShape(tensor.getShapeList())) {
        throw invalid(
            "input '"
                + spec.name()
                + "' has shape "
                + tensor.getShapeList()
                + "; model '"
                + modelName
                + "' expects "
                + spec);
      }
    }
    return byName;
  }

  private static StatusRuntimeException invalid(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
  }
}
