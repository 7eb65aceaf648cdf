package dev.meridian.agent.features;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A model input assembled from features of an entity: callers send the entity's keys in the input
 * named {@code entity}, and the replica fills the FP32 input {@code input} of shape {@code [n, k]}
 * with the {@code k} features of each of the {@code n} entities, in the order listed.
 *
 * @param input the model's input the features form, for example {@code features}
 * @param entity the kind of entity and the name of the input carrying its keys, for example {@code
 *     card_id}
 * @param features the features, in the input's column order
 */
public record FeatureInputs(String input, String entity, List<FeatureSpec> features) {
  /** Checks that there is at least one feature, no name twice, and two distinct input names. */
  public FeatureInputs {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(entity, "entity");
    features = List.copyOf(features);
    if (features.isEmpty()) {
      throw new IllegalArgumentException("feature input '" + input + "' lists no features");
    }
    if (input.equals(entity)) {
      throw new IllegalArgumentException(
          "the entity '" + entity + "' cannot be named like the input it fills");
    }
    var seen = new HashSet<String>();
    for (FeatureSpec feature : features) {
      if (!seen.add(feature.name())) {
        throw new IllegalArgumentException("feature '" + feature.name() + "' is listed twice");
      }
    }
  }

  /** The features' names, in column order. */
  public List<String> names() {
    return features.stream().map(FeatureSpec::name).toList();
  }
}
