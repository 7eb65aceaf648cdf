package dev.meridian.agent.config;

import dev.meridian.agent.model.ModelType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the agent serves one model: where its file is, its fallback, how many replicas, and what each
 * replica may use. Immutable; built and validated by {@link AgentConfigLoader}.
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
    int warmUpRequests) {}
