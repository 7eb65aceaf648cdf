package dev.meridian.agent.replica;

import dev.meridian.agent.model.Model;
import dev.meridian.agent.model.ModelType;
import java.util.Objects;
import java.util.Optional;

/**
 * A model a replica serves under its configured name and version, together with the model that
 * actually answers: the primary itself, or the pre-loaded fallback when the primary failed to load.
 * Responses name the answering model, so a caller can always tell a fallback answer from a primary
 * one.
 *
 * @param name the name clients request
 * @param version the configured version; requests for it (or for no version) are answered
 * @param type how the answering model was loaded
 * @param answering the model that runs the requests
 * @param fallbackReason why the fallback answers instead of the primary; empty on the primary
 * @param rules the feature lookup and confidence rule around the answering model
 */
public record ServedModel(
    String name,
    String version,
    ModelType type,
    Model answering,
    Optional<String> fallbackReason,
    ServingRules rules) {
  /** Validates the fields. */
  public ServedModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(answering, "answering");
    Objects.requireNonNull(fallbackReason, "fallbackReason");
    Objects.requireNonNull(rules, "rules");
  }

  /** A model of {@code type} served as itself. */
  public static ServedModel primary(ModelType type, Model model) {
    return new ServedModel(
        model.name(), model.version(), type, model, Optional.empty(), ServingRules.NONE);
  }

  /**
   * The configured model {@code name}/{@code version}, answered by {@code fallback}, a built-in
   * model.
   */
  public static ServedModel fallback(String name, String version, Model fallback, String reason) {
    return new ServedModel(
        name, version, ModelType.BUILTIN, fallback, Optional.of(reason), ServingRules.NONE);
  }

  /** The same model answered by {@code model} (a wrapper of the answering one, say). */
  public ServedModel answeredBy(Model model) {
    return new ServedModel(name, version, type, model, fallbackReason, rules);
  }

  /** The same model with {@code newRules} around it. */
  public ServedModel withRules(ServingRules newRules) {
    return new ServedModel(name, version, type, answering, fallbackReason, newRules);
  }

  /** Whether this serves requests for {@code model} at {@code requestedVersion}, empty for any. */
  public boolean serves(String model, String requestedVersion) {
    return name.equals(model) && (requestedVersion.isEmpty() || requestedVersion.equals(version));
  }

  /** Whether the fallback answers. */
  public boolean onFallback() {
    return fallbackReason.isPresent();
  }

  /**
   * What a health check says about the answering model: empty on the primary, otherwise {@code
   * running on fallback model X version V: primary failed to load: <reason>}.
   */
  public Optional<String> fallbackNote() {
    return fallbackReason.map(
        reason ->
            "running on fallback model "
                + answering.name()
                + " version "
                + answering.version()
                + ": primary failed to load: "
                + reason);
  }
}
