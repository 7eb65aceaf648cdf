package dev.meridian.agent.config;

import static dev.meridian.agent.config.AgentSettings.LATENCY_OBJECTIVE;
import static dev.meridian.agent.config.AgentSettings.MAX_CONCURRENT_CALLS;
import static dev.meridian.agent.config.AgentSettings.MEMORY_LIMIT;
import static dev.meridian.agent.config.AgentSettings.MODEL_ADDRESS;
import static dev.meridian.agent.config.AgentSettings.MODEL_COMMAND;
import static dev.meridian.agent.config.AgentSettings.MODEL_FALLBACK;
import static dev.meridian.agent.config.AgentSettings.MODEL_NAME;
import static dev.meridian.agent.config.AgentSettings.MODEL_PATH;
import static dev.meridian.agent.config.AgentSettings.MODEL_REPLICAS;
import static dev.meridian.agent.config.AgentSettings.MODEL_TYPE;
import static dev.meridian.agent.config.AgentSettings.MODEL_VERSION;
import static dev.meridian.agent.config.AgentSettings.WARM_UP_REQUESTS;

import dev.meridian.agent.features.ConfidenceRule;
import dev.meridian.agent.features.FeatureInputs;
import dev.meridian.agent.model.ModelType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the agent serves one model: where its file is, its fallback, how many replicas, and what each
 * replica may use. Immutable; every value is checked by its {@code models[].*} setting in {@link
 * AgentSettings}.
 *
 * @param name the model name clients request; also the replicas' Consul tag
 * @param version the model version
 * @param type how to load {@code path}, or {@link ModelType#OIP} for an external server
 * @param path the model file; empty for {@link ModelType#OIP}, required otherwise
 * @param fallback a built-in model's JSON file, loaded before the primary, that serves when the
 *     primary fails to load; empty for {@link ModelType#OIP}
 * @param server for {@link ModelType#OIP} only, the external server the replicas are; with an
 *     {@link OipServer.Address}, the one replica
 * @param replicas how many replicas serve the model
 * @param maxConcurrentCalls calls one replica runs at once
 * @param latencyObjective probes slower than this report {@code warning}
 * @param memoryLimit the heap limit of each replica process
 * @param warmUpRequests canary calls each replica runs through its own server before it first
 *     reports ready; 0 for none
 * @param features the input replicas assemble from the region's feature store, if any
 * @param confidence when the primary's answer is handed to the fallback model instead, if ever
 */
public record ModelConfig(
    String name,
    String version,
    ModelType type,
    Optional<Path> path,
    Optional<Path> fallback,
    Optional<OipServer> server,
    int replicas,
    int maxConcurrentCalls,
    Duration latencyObjective,
    MemoryLimit memoryLimit,
    int warmUpRequests,
    Optional<FeatureInputs> features,
    Optional<ConfidenceRule> confidence) {
  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException naming the offending key
   */
  public ModelConfig {
    MODEL_NAME.check(name);
    MODEL_VERSION.check(version);
    MODEL_TYPE.check(type);
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(fallback, "fallback");
    Objects.requireNonNull(server, "server");
    MODEL_REPLICAS.check(replicas);
    MAX_CONCURRENT_CALLS.check(maxConcurrentCalls);
    LATENCY_OBJECTIVE.check(latencyObjective);
    MEMORY_LIMIT.check(memoryLimit);
    WARM_UP_REQUESTS.check(warmUpRequests);
    boolean external = type == ModelType.OIP;
    String typeName = type.name().toLowerCase(Locale.ROOT);
    if (external && server.isEmpty()) {
      throw MODEL_COMMAND.invalid(
          null,
          "with `type: oip`, `" + MODEL_COMMAND.leaf() + "` or `" + MODEL_ADDRESS.leaf() + "`");
    }
    if (!external && server.isPresent()) {
      throw MODEL_TYPE.invalid(typeName, "oip, as `command` or `address` is set");
    }
    if (external == path.isPresent()) {
      throw MODEL_PATH.invalid(
          path.map(Path::toString).orElse(null),
          external
              ? "no model file with `type: oip`"
              : "a model file with `type: " + typeName + "`");
    }
    if (external && fallback.isPresent()) {
      throw MODEL_FALLBACK.invalid(fallback.get().toString(), "no fallback with `type: oip`");
    }
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(confidence, "confidence");
    if (external && features.isPresent()) {
      throw FeatureSettings.INPUT.invalid(
          features.get().input(), "no feature lookup with `type: oip`: the replica is not ours");
    }
    if (confidence.isPresent() && fallback.isEmpty()) {
      throw FeatureSettings.CONFIDENCE_OUTPUT.invalid(
          confidence.get().output(), "a `fallback` model to hand unconfident answers to");
    }
    if (server.orElse(null) instanceof OipServer.Address address && replicas != 1) {
      throw MODEL_REPLICAS.invalid(
          replicas, "1 with `address`: the agent attaches to the one server at " + address);
    }
  }
}
