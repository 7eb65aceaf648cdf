package dev.meridian.agent.model.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.meridian.agent.model.ModelLoadException;
import dev.meridian.agent.model.ModelSignature;
import dev.meridian.agent.model.TensorSpec;
import dev.meridian.proto.inference.v1.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link ModelSignature} from a loaded session's metadata, rejecting at load time every
 * input or output that Meridian's tensors cannot carry, so no request ever fails on it later.
 */
final class OnnxSignatureReader {
  private OnnxSignatureReader() {}

  /**
   * Reads the signature of {@code session}.
   *
   * @param source how to name the model in errors, for example its file
   */
  static ModelSignature read(OrtSession session, String source) throws ModelLoadException {
    try {
      return new ModelSignature(
          specs(session.getInputInfo(), "input", source),
          specs(session.getOutputInfo(), "output", source));
    } catch (OrtException e) {
      throw new ModelLoadException(
          source + ": cannot read the model's inputs and outputs: " + e.getMessage(), e);
    }
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> nodes, String role, String source)
      throws ModelLoadException {
    List<TensorSpec> specs = new ArrayList<>(nodes.size());
    for (NodeInfo node : nodes.values()) {
      specs.add(spec(node, role, source));
    }
    return specs;
  }

  private static TensorSpec spec(NodeInfo node, String role, String source)
      throws ModelLoadException {
    String where = source + ": " + role + " '" + node.getName() + "'";
    if (!(node.getInfo() instanceof TensorInfo info)) {
      throw new ModelLoadException(
          where + " is not a tensor (" + node.getInfo() + "); only tensors are supported");
    }
    DataType datatype =
        OnnxElementTypes.toMeridian(info.onnxType)
            .orElseThrow(
                () ->
                    new ModelLoadException(
                        where
                            + " has element type "
                            + OnnxElementTypes.onnxName(info.onnxType)
                            + ", which Meridian cannot carry to or from ONNX Runtime (supported: "
                            + OnnxElementTypes.SUPPORTED
                            + ")"));
    // ONNX Runtime reports symbolic (dim_param) and unknown dimensions as negative sizes. Both
    // mean "any size", which a signature, like the Open Inference Protocol's model metadata, says
    // as DYNAMIC (-1).
    List<Long> shape =
        Arrays.stream(info.getShape()).map(d -> d < 0 ? TensorSpec.DYNAMIC : d).boxed().toList();
    return new TensorSpec(node.getName(), datatype, shape);
  }
}
