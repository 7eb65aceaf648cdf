package dev.meridian.agent.replica;

import dev.meridian.agent.features.ConfidenceRule;
import dev.meridian.agent.features.FeatureLookup;
import dev.meridian.agent.model.Model;
import java.util.Objects;
import java.util.Optional;

/**
 * What a replica does around its model beyond running it: assemble a feature input from entity
 * keys, and hand answers below a confidence threshold to the fallback model.
 *
 * @param features the lookup of the model's feature input, if it has one
 * @param confidence the confidence rule, if any; applied only while the primary answers
 * @param fallback the model unconfident answers go to; present whenever {@code confidence} is
 */
public record ServingRules(
    Optional<FeatureLookup> features,
    Optional<ConfidenceRule> confidence,
    Optional<Model> fallback) {
  /** No feature input and no confidence rule. */
  public static final ServingRules NONE =
      new ServingRules(Optional.empty(), Optional.empty(), Optional.empty());

  /** Checks that a confidence rule has a model to fall back to. */
  public ServingRules {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(confidence, "confidence");
    Objects.requireNonNull(fallback, "fallback");
    if (confidence.isPresent() && fallback.isEmpty()) {
      throw new IllegalArgumentException("a confidence rule needs a fallback model");
    }
  }
}
