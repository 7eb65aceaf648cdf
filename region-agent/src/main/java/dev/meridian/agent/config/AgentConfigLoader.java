package dev.meridian.agent.config;

import dev.meridian.agent.model.ModelType;
import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.registry.ConsulConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads an {@link AgentConfig} from a YAML file (see {@code agent-example.yaml} beside this class
 * in the jar for every key with its default). Every value is checked here, at start-up, and a bad
 * one fails with the file and the full key named: {@code agent.yaml: models[0].replicas: 0
 * (expected: 1..64)}. Unknown keys fail too. Model paths are relative to the file's directory.
 */
public final class AgentConfigLoader {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  private static final Duration MIN_TIMING = Duration.ofMillis(10);
  // Consul applies at least a minute whatever is asked; accepting less would promise what it does
  // not do.
  private static final Duration MIN_DEREGISTER = Duration.ofMinutes(1);

  private AgentConfigLoader() {}

  /**
   * Reads and validates {@code file}, taking the Consul token from the process environment.
   *
   * @throws ConfigException naming the file and the offending key
   */
  public static AgentConfig load(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    return parse(ConfigNode.load(file), dir, System::getenv);
  }

  /**
   * Validates a parsed config.
   *
   * @param baseDir the directory relative model paths start from
   * @param env reads an environment variable, null when unset
   * @throws ConfigException naming the offending key
   */
  public static AgentConfig parse(ConfigNode root, Path baseDir, UnaryOperator<String> env) {
    root.allowOnly(
        "region",
        "consul",
        "registration",
        "probe",
        "restart",
        "replicas",
        "metrics",
        "faults",
        "models");
    ConfigNode registration =
        root.child("registration").allowOnly("ttl", "deregister-critical-after");
    Duration ttl = registration.duration("ttl", Duration.ofSeconds(10), Duration.ofSeconds(1));
    ProbeConfig probe = probe(root.child("probe"), ttl);
    ConfigNode replicas =
        root.child("replicas").allowOnly("mode", "start-timeout", "drain-timeout");
    ConfigNode metrics = root.child("metrics").allowOnly("host", "port");
    return new AgentConfig(
        name(root, "region"),
        ConsulConfig.fromConfig(root.child("consul"), env),
        ttl,
        registration.duration("deregister-critical-after", Duration.ofMinutes(1), MIN_DEREGISTER),
        probe,
        restart(root.child("restart")),
        mode(replicas),
        replicas.duration("start-timeout", Duration.ofSeconds(60), Duration.ofSeconds(1)),
        replicas.duration("drain-timeout", Duration.ofSeconds(5), Duration.ZERO),
        metrics.string("host", "127.0.0.1"),
        metrics.integer("port", 9464, 0, 65_535),
        root.child("faults").allowOnly("enabled").bool("enabled", false),
        models(root, baseDir));
  }

  private static ProbeConfig probe(ConfigNode node, Duration ttl) {
    node.allowOnly(
        "interval", "jitter", "timeout", "successes-before-passing", "failures-before-critical");
    Duration interval = node.duration("interval", Duration.ofSeconds(1), Duration.ofMillis(50));
    Duration jitter = node.duration("jitter", interval.dividedBy(5), Duration.ZERO);
    Duration timeout = node.duration("timeout", Duration.ofMillis(500), MIN_TIMING);
    if (jitter.compareTo(interval) > 0) {
      throw node.invalid("jitter", jitter.toMillis() + "ms", "at most probe.interval");
    }
    // Every probe refreshes the TTL; if one cycle can outlast it, a healthy replica flaps critical.
    Duration cycle = interval.plus(jitter).plus(timeout);
    if (cycle.compareTo(ttl) >= 0) {
      throw node.invalid(
          "interval",
          interval.toMillis() + "ms",
          "interval + jitter + timeout ("
              + cycle.toMillis()
              + "ms) under registration.ttl ("
              + ttl.toMillis()
              + "ms)");
    }
    return new ProbeConfig(
        interval,
        jitter,
        timeout,
        node.integer("successes-before-passing", 2, 1, 100),
        node.integer("failures-before-critical", 3, 1, 100));
  }

  private static RestartConfig restart(ConfigNode node) {
    node.allowOnly("initial-backoff", "max-backoff", "crash-loop-restarts", "crash-loop-window");
    Duration initial = node.duration("initial-backoff", Duration.ofMillis(200), MIN_TIMING);
    Duration max = node.duration("max-backoff", Duration.ofSeconds(10), initial);
    return new RestartConfig(
        initial,
        max,
        node.integer("crash-loop-restarts", 5, 1, 1000),
        node.duration("crash-loop-window", Duration.ofMinutes(1), Duration.ofSeconds(1)));
  }

  private static ReplicaMode mode(ConfigNode node) {
    String mode = node.string("mode", "process");
    return switch (mode) {
      case "process" -> ReplicaMode.PROCESS;
      case "in-process" -> ReplicaMode.IN_PROCESS;
      default -> throw node.invalid("mode", mode, "process or in-process");
    };
  }

  private static List<ModelConfig> models(ConfigNode root, Path baseDir) {
    List<ConfigNode> nodes = root.children("models");
    if (nodes.isEmpty()) {
      throw root.invalid("models", null, "a list of at least one model");
    }
    List<ModelConfig> models = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode node : nodes) {
      ModelConfig model = model(node, baseDir);
      if (!names.add(model.name())) {
        throw node.invalid("name", model.name(), "a name no other model has");
      }
      models.add(model);
    }
    return models;
  }

  private static ModelConfig model(ConfigNode node, Path baseDir) {
    node.allowOnly(
        "name",
        "version",
        "type",
        "path",
        "fallback",
        "replicas",
        "max-concurrent-calls",
        "latency-objective",
        "memory-limit",
        "warm-up");
    String memory = node.string("memory-limit", "512m");
    return new ModelConfig(
        name(node, "name"),
        node.string("version", "1"),
        type(node),
        file(node, "path", baseDir),
        node.has("fallback") ? Optional.of(file(node, "fallback", baseDir)) : Optional.empty(),
        node.integer("replicas", 1, 1, 64),
        node.integer("max-concurrent-calls", 64, 1, 10_000),
        node.duration("latency-objective", Duration.ofMillis(100), Duration.ofMillis(1)),
        MemoryLimit.parse(memory)
            .orElseThrow(
                () ->
                    node.invalid(
                        "memory-limit", memory, "a heap size of 32m or more, such as 512m or 2g")),
        node.child("warm-up").allowOnly("requests").integer("requests", 200, 0, 10_000));
  }

  private static ModelType type(ConfigNode node) {
    String type = node.string("type");
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "builtin" -> ModelType.BUILTIN;
      case "onnx" -> ModelType.ONNX;
      default -> throw node.invalid("type", type, "builtin or onnx");
    };
  }

  private static String name(ConfigNode node, String key) {
    String name = node.string(key);
    if (!NAME.matcher(name).matches()) {
      throw node.invalid(key, name, "letters, digits, '.', '_' and '-'");
    }
    return name;
  }

  private static Path file(ConfigNode node, String key, Path baseDir) {
    Path file = baseDir.resolve(node.string(key)).normalize();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw node.invalid(key, node.string(key), "a readable file (resolved to " + file + ")");
    }
    return file;
  }
}
