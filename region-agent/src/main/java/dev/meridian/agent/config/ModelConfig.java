package dev.meridian.agent.config;

import static dev.meridian.agent.config.AgentSettings.LATENCY_OBJECTIVE;
import static dev.meridian.agent.config.AgentSettings.MAX_CONCURRENT_CALLS;
import static dev.meridian.agent.config.AgentSettings.MEMORY_LIMIT;
import static dev.meridian.agent.config.AgentSettings.MODEL_NAME;
import static dev.meridian.agent.config.AgentSettings.MODEL_REPLICAS;
import static dev.meridian.agent.config.AgentSettings.MODEL_TYPE;
import static dev.meridian.agent.config.AgentSettings.MODEL_VERSION;
import static dev.meridian.agent.config.AgentSettings.WARM_UP_REQUESTS;

import dev.meridian.agent.model.ModelType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the agent serves one model: where its file is, its fallback, how many replicas, and what each
 * replica may use. Immutable; every value is checked by its {@code models[].*} setting in {@link
 * AgentSettings}.
 *
 * @param name the model name clients request; also the replicas' Consul tag
 * @param version the model version
 * @param type how to load {@code path}
 * @param path the model file
 * @param fallback a built-in model's JSON file, loaded before the primary, that serves when the
 *     primary fails to load
 * @param replicas how many replicas serve the model
 * @param maxConcurrentCalls calls one replica runs at once
 * @param latencyObjective probes slower than this report {@code warning}
 * @param memoryLimit the heap limit of each replica process
 * @param warmUpRequests canary calls each replica runs through its own server before it first
 *     reports ready; 0 for none
 */
public record ModelConfig(
    String name,
    String version,
    ModelType type,
    Path path,
    Optional<Path> fallback,
    int replicas,
    int maxConcurrentCalls,
    Duration latencyObjective,
    MemoryLimit memoryLimit,
    int warmUpRequests) {
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
    MODEL_REPLICAS.check(replicas);
    MAX_CONCURRENT_CALLS.check(maxConcurrentCalls);
    LATENCY_OBJECTIVE.check(latencyObjective);
    MEMORY_LIMIT.check(memoryLimit);
    WARM_UP_REQUESTS.check(warmUpRequests);
  }
}
