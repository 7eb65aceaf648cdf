package dev.meridian.core.oip;

import dev.meridian.core.CallerText;
import dev.meridian.core.DataTypes;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.oip.v2.ModelInferRequest;
import dev.meridian.proto.oip.v2.ModelInferRequest.InferInputTensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Translates inference requests between the Open Inference Protocol's {@code ModelInfer} and
 * Meridian's {@code Predict}, losslessly in both directions for the tensors; OIP's request and
 * tensor parameters have no Meridian counterpart and are not carried. Stateless and thread-safe.
 */
public final class OipRequests {
  private OipRequests() {}

  /**
   * Reads an OIP request as a Predict request, each tensor checked as it is read; the request as a
   * whole (model name, lengths, duplicate names) is checked where every Predict request is, by the
   * server that runs it.
   *
   * @throws StatusRuntimeException with {@code INVALID_ARGUMENT} and a description naming the
   *     offending input: raw and typed contents mixed, raw contents missing for an input, an
   *     unknown datatype, contents that do not fit the shape
   */
  public static PredictRequest toPredict(ModelInferRequest request) {
    int raw = request.getRawInputContentsCount();
    if (raw > 0 && raw != request.getInputsCount()) {
      throw invalid(
          "raw_input_contents has "
              + raw
              + " entries for "
              + request.getInputsCount()
              + " inputs; it needs one per input, in order");
    }
    PredictRequest.Builder predict =
        PredictRequest.newBuilder()
            .setModelName(request.getModelName())
            .setModelVersion(request.getModelVersion())
            .setRequestId(request.getId());
    for (int i = 0; i < request.getInputsCount(); i++) {
      InferInputTensor input = request.getInputs(i);
      String where = "inputs[" + i + "] " + CallerText.quoted(input.getName());
      if (raw > 0 && input.hasContents()) {
        throw invalid(where + ": contents given although the request carries raw_input_contents");
      }
      predict.addInputs(
          raw > 0
              ? OipTensors.fromRaw(
                  where,
                  input.getName(),
                  input.getDatatype(),
                  input.getShapeList(),
                  request.getRawInputContents(i))
              : OipTensors.fromTyped(
                  where,
                  input.getName(),
                  input.getDatatype(),
                  input.getShapeList(),
                  input.getContents()));
    }
    return predict.build();
  }

  /**
   * Writes a Predict request as an OIP request, with typed contents unless an input has none (FP16,
   * BF16), in which case every input goes raw, as the protocol requires.
   */
  public static ModelInferRequest toModelInfer(PredictRequest request) {
    boolean raw = !request.getInputsList().stream().allMatch(OipTensors::hasTypedForm);
    ModelInferRequest.Builder infer =
        ModelInferRequest.newBuilder()
            .setModelName(request.getModelName())
            .setModelVersion(request.getModelVersion())
            .setId(request.getRequestId());
    for (Tensor input : request.getInputsList()) {
      InferInputTensor.Builder tensor =
          infer
              .addInputsBuilder()
              .setName(input.getName())
              .setDatatype(DataTypes.shortName(input.getDatatype()))
              .addAllShape(input.getShapeList());
      if (raw) {
        infer.addRawInputContents(OipTensors.raw(input));
      } else {
        tensor.setContents(OipTensors.typed(input));
      }
    }
    return infer.build();
  }

  private static StatusRuntimeException invalid(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
  }
}
