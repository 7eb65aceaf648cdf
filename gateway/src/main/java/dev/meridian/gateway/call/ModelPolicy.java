package dev.meridian.gateway.call;

import dev.meridian.proto.inference.v1.Tensor;
import java.util.List;
import java.util.Optional;

/**
 * How the gateway degrades one model when no region can run it.
 *
 * @param name the model
 * @param fallbackModel a cheaper model to run instead, if any
 * @param defaultOutputs the outputs of the default response, if the model has one
 */
public record ModelPolicy(
    String name, Optional<String> fallbackModel, Optional<List<Tensor>> defaultOutputs) {
  /** Copies the outputs. */
  public ModelPolicy {
    defaultOutputs = defaultOutputs.map(List::copyOf);
  }

  /** A model with neither fallback model nor default response. */
  public static ModelPolicy plain(String name) {
    return new ModelPolicy(name, Optional.empty(), Optional.empty());
  }
}
