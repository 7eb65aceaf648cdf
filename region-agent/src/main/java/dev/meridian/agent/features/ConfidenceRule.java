package dev.meridian.agent.features;

import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.Tensor;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a primary model's answer is not confident enough to stand: the confidence of a response is
 * that of its least confident row of {@code output}, and a row's confidence is its largest value (a
 * row of one probability {@code p} is read as two classes, so {@code max(p, 1 - p)}). A response
 * below {@code threshold} is answered by the replica's fallback model instead.
 *
 * @param output the output holding probabilities, FP32 or FP64 of shape {@code [n]} or {@code [n,
 *     c]}
 * @param threshold the lowest confidence the primary's answer is kept at, in {@code 0..1}
 */
public record ConfidenceRule(String output, double threshold) {
  /** Checks the threshold. */
  public ConfidenceRule {
    Objects.requireNonNull(output, "output");
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("confidence threshold " + threshold + " is not in 0..1");
    }
  }

  /**
   * The confidence of {@code outputs}, when it is below the threshold.
   *
   * @throws IllegalStateException when the output is missing or not of probabilities
   */
  public Optional<Double> shortfall(List<Tensor> outputs) {
    double confidence = confidence(outputs);
    return confidence < threshold ? Optional.of(confidence) : Optional.empty();
  }

  /** The confidence of {@code outputs} by this rule. */
  double confidence(List<Tensor> outputs) {
    Tensor tensor =
        outputs.stream()
            .filter(candidate -> candidate.getName().equals(output))
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("the model has no output '" + output + "'"));
    double[] values = values(tensor);
    int columns =
        tensor.getShapeCount() >= 2 ? (int) tensor.getShape(tensor.getShapeCount() - 1) : 1;
    if (values.length == 0 || columns == 0) {
      throw new IllegalStateException("output '" + output + "' is empty");
    }
    double least = Double.POSITIVE_INFINITY;
    for (int row = 0; row < values.length / columns; row++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int column = 0; column < columns; column++) {
        best = Math.max(best, values[row * columns + column]);
      }
      least = Math.min(least, columns == 1 ? Math.max(best, 1 - best) : best);
    }
    return least;
  }

  private double[] values(Tensor tensor) {
    if (tensor.getDatatype() == DataType.DATA_TYPE_FP32) {
      List<Float> floats = tensor.getContents().getFp32ContentsList();
      return floats.stream().mapToDouble(Float::doubleValue).toArray();
    }
    if (tensor.getDatatype() == DataType.DATA_TYPE_FP64) {
      return tensor.getContents().getFp64ContentsList().stream().mapToDouble(d -> d).toArray();
    }
    throw new IllegalStateException(
        "output '" + output + "' is " + tensor.getDatatype() + ", not FP32 or FP64 probabilities");
  }
}
