package dev.meridian.agent.model;

import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import java.util.List;
import java.util.Map;

/**
 * The built-in model type: a dense layer {@code y = activation(W x + b)} over a batch of FP32
 * feature rows. With the sigmoid activation it is a logistic regression. Cheap enough to be every
 * model's fallback, and real enough to serve the demo.
 *
 * <p>Immutable and thread-safe.
 */
public final class LinearModel implements Model {
  private final String name;
  private final String version;
  private final Activation activation;
  private final float[][] weights;
  private final float[] bias;
  private final String inputName;
  private final ModelSignature signature;

  /** How each output is transformed after the affine step. */
  public enum Activation {
    /** Outputs the affine value unchanged (linear regression). */
    IDENTITY,
    /** Squashes each output into (0, 1) (logistic regression). */
    SIGMOID;

    float apply(double value) {
      return this == SIGMOID ? (float) (1.0 / (1.0 + Math.exp(-value))) : (float) value;
    }
  }

  /**
   * Creates a model.
   *
   * @param weights one row per output, each with one weight per feature; rows of equal length
   * @param bias one entry per output
   */
  public LinearModel(
      String name,
      String version,
      Activation activation,
      String inputName,
      String outputName,
      float[][] weights,
      float[] bias) {
    this.name = name;
    this.version = version;
    this.activation = activation;
    this.weights = copy(weights);
    this.bias = bias.clone();
    this.inputName = inputName;
    long features = weights[0].length;
    this.signature =
        new ModelSignature(
            List.of(
                new TensorSpec(
                    inputName, DataType.DATA_TYPE_FP32, List.of(TensorSpec.DYNAMIC, features))),
            List.of(
                new TensorSpec(
                    outputName,
                    DataType.DATA_TYPE_FP32,
                    List.of(TensorSpec.DYNAMIC, (long) weights.length))));
  }

  private static float[][] copy(float[][] rows) {
    float[][] copy = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      copy[i] = rows[i].clone();
    }
    return copy;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public List<Tensor> predict(Map<String, Tensor> inputs) {
    Tensor features = inputs.get(inputName);
    List<Float> x = features.getContents().getFp32ContentsList();
    int batch = Math.toIntExact(features.getShape(0));
    int width = weights[0].length;
    TensorContents.Builder out = TensorContents.newBuilder();
    for (int row = 0; row < batch; row++) {
      for (int o = 0; o < weights.length; o++) {
        double sum = bias[o];
        for (int f = 0; f < width; f++) {
          sum += (double) weights[o][f] * x.get(row * width + f);
        }
        out.addFp32Contents(activation.apply(sum));
      }
    }
    TensorSpec output = signature.outputs().get(0);
    return List.of(
        Tensor.newBuilder()
            .setName(output.name())
            .setDatatype(DataType.DATA_TYPE_FP32)
            .addShape(batch)
            .addShape(weights.length)
            .setContents(out)
            .build());
  }
}
