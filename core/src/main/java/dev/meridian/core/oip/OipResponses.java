package dev.meridian.core.oip;

import dev.meridian.core.CallerText;
import dev.meridian.core.DataTypes;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.oip.v2.ModelInferResponse;
import dev.meridian.proto.oip.v2.ModelInferResponse.InferOutputTensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Translates inference answers between Meridian's {@code PredictResponse} and the Open Inference
 * Protocol's {@code ModelInferResponse}. How the answer was served ({@code served_by}) is the
 * caller's to add as parameters. Stateless and thread-safe.
 */
public final class OipResponses {
  private OipResponses() {}

  /**
   * Writes a Predict answer as an OIP answer carrying only the {@code requested} outputs (all when
   * empty), in their order, as raw contents when {@code raw} or when an output has no typed form.
   *
   * @throws StatusRuntimeException with {@code INVALID_ARGUMENT} naming a requested output the
   *     model did not produce
   */
  public static ModelInferResponse.Builder fromPredict(
      PredictResponse response, boolean raw, List<String> requested) {
    List<Tensor> outputs = selected(response, requested);
    boolean asRaw = raw || !outputs.stream().allMatch(OipTensors::hasTypedForm);
    ModelInferResponse.Builder infer =
        ModelInferResponse.newBuilder()
            .setModelName(response.getModelName())
            .setModelVersion(response.getModelVersion())
            .setId(response.getRequestId());
    for (Tensor output : outputs) {
      InferOutputTensor.Builder tensor =
          infer
              .addOutputsBuilder()
              .setName(output.getName())
              .setDatatype(DataTypes.shortName(output.getDatatype()))
              .addAllShape(output.getShapeList());
      if (asRaw) {
        infer.addRawOutputContents(OipTensors.raw(output));
      } else {
        tensor.setContents(OipTensors.typed(output));
      }
    }
    if (response.hasFeatures()) {
      OipFeatureSources.add(infer, response.getFeatures());
    }
    return infer;
  }

  /**
   * Reads an OIP server's answer as a Predict answer, without {@code served_by}; with the feature
   * sources when the answer carries them ({@link OipFeatureSources}).
   *
   * @throws StatusRuntimeException with {@code INTERNAL} when the server's outputs are malformed
   *     (mixed raw and typed contents, contents that do not fit a shape)
   */
  public static PredictResponse toPredict(ModelInferResponse response) {
    int raw = response.getRawOutputContentsCount();
    PredictResponse.Builder predict =
        PredictResponse.newBuilder()
            .setModelName(response.getModelName())
            .setModelVersion(response.getModelVersion())
            .setRequestId(response.getId());
    try {
      if (raw > 0 && raw != response.getOutputsCount()) {
        throw Status.INVALID_ARGUMENT
            .withDescription(raw + " raw outputs for " + response.getOutputsCount() + " outputs")
            .asRuntimeException();
      }
      for (int i = 0; i < response.getOutputsCount(); i++) {
        InferOutputTensor output = response.getOutputs(i);
        String where = "outputs[" + i + "] " + CallerText.quoted(output.getName());
        predict.addOutputs(
            raw > 0
                ? OipTensors.fromRaw(
                    where,
                    output.getName(),
                    output.getDatatype(),
                    output.getShapeList(),
                    response.getRawOutputContents(i))
                : OipTensors.fromTyped(
                    where,
                    output.getName(),
                    output.getDatatype(),
                    output.getShapeList(),
                    output.getContents()));
      }
    } catch (StatusRuntimeException malformed) {
      throw Status.INTERNAL
          .withDescription(
              "the model server's answer is malformed: " + malformed.getStatus().getDescription())
          .asRuntimeException();
    }
    OipFeatureSources.read(response).ifPresent(predict::setFeatures);
    return predict.build();
  }

  private static List<Tensor> selected(PredictResponse response, List<String> requested) {
    if (requested.isEmpty()) {
      return response.getOutputsList();
    }
    Map<String, Tensor> byName =
        response.getOutputsList().stream()
            .collect(Collectors.toMap(Tensor::getName, Function.identity(), (a, b) -> a));
    List<Tensor> outputs = new ArrayList<>(requested.size());
    for (int i = 0; i < requested.size(); i++) {
      Tensor output = byName.get(requested.get(i));
      if (output == null) {
        throw Status.INVALID_ARGUMENT
            .withDescription(
                "outputs["
                    + i
                    + "] "
                    + CallerText.quoted(requested.get(i))
                    + " is not an output of model "
                    + CallerText.quoted(response.getModelName())
                    + " (its outputs: "
                    + byName.keySet().stream().sorted().toList()
                    + ")")
            .asRuntimeException();
      }
      outputs.add(output);
    }
    return outputs;
  }
}
