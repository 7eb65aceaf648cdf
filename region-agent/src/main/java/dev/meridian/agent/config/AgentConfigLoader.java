package dev.meridian.agent.config;

import static dev.meridian.agent.config.AgentSettings.CRASH_LOOP_RESTARTS;
import static dev.meridian.agent.config.AgentSettings.CRASH_LOOP_WINDOW;
import static dev.meridian.agent.config.AgentSettings.DEREGISTER_CRITICAL_AFTER;
import static dev.meridian.agent.config.AgentSettings.DRAIN_TIMEOUT;
import static dev.meridian.agent.config.AgentSettings.FAILURES_BEFORE_CRITICAL;
import static dev.meridian.agent.config.AgentSettings.FAULTS_ENABLED;
import static dev.meridian.agent.config.AgentSettings.FAULTS_TOKEN_FILE;
import static dev.meridian.agent.config.AgentSettings.INITIAL_BACKOFF;
import static dev.meridian.agent.config.AgentSettings.LATENCY_OBJECTIVE;
import static dev.meridian.agent.config.AgentSettings.MAX_BACKOFF;
import static dev.meridian.agent.config.AgentSettings.MAX_CONCURRENT_CALLS;
import static dev.meridian.agent.config.AgentSettings.MEMORY_LIMIT;
import static dev.meridian.agent.config.AgentSettings.METRICS;
import static dev.meridian.agent.config.AgentSettings.MODE;
import static dev.meridian.agent.config.AgentSettings.MODEL_ADDRESS;
import static dev.meridian.agent.config.AgentSettings.MODEL_COMMAND;
import static dev.meridian.agent.config.AgentSettings.MODEL_FALLBACK;
import static dev.meridian.agent.config.AgentSettings.MODEL_NAME;
import static dev.meridian.agent.config.AgentSettings.MODEL_PATH;
import static dev.meridian.agent.config.AgentSettings.MODEL_REPLICAS;
import static dev.meridian.agent.config.AgentSettings.MODEL_TYPE;
import static dev.meridian.agent.config.AgentSettings.MODEL_VERSION;
import static dev.meridian.agent.config.AgentSettings.PROBE_INTERVAL;
import static dev.meridian.agent.config.AgentSettings.PROBE_JITTER;
import static dev.meridian.agent.config.AgentSettings.PROBE_TIMEOUT;
import static dev.meridian.agent.config.AgentSettings.REGION;
import static dev.meridian.agent.config.AgentSettings.REPLICAS;
import static dev.meridian.agent.config.AgentSettings.REPLICA_LIMITS;
import static dev.meridian.agent.config.AgentSettings.REPLICA_REFLECTION;
import static dev.meridian.agent.config.AgentSettings.SCHEMA;
import static dev.meridian.agent.config.AgentSettings.START_TIMEOUT;
import static dev.meridian.agent.config.AgentSettings.SUCCESSES_BEFORE_PASSING;
import static dev.meridian.agent.config.AgentSettings.TTL;
import static dev.meridian.agent.config.AgentSettings.WARM_UP_REQUESTS;

import dev.meridian.agent.faults.AdminToken;
import dev.meridian.agent.features.ConfidenceRule;
import dev.meridian.agent.features.FeatureInputs;
import dev.meridian.agent.features.FeatureSpec;
import dev.meridian.agent.features.FeatureStoreConfig;
import dev.meridian.core.Durations;
import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigFile;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.Setting;
import dev.meridian.core.tls.TlsSettings;
import dev.meridian.core.tracing.TracingSettings;
import dev.meridian.registry.ConsulConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads an {@link AgentConfig} from a YAML file through {@link ConfigFile}, by the keys of {@link
 * AgentSettings#SCHEMA} (see {@code agent-example.yaml} beside this class in the jar for every key
 * with its default). Every value is checked at start-up, and a bad one fails with the file and the
 * full key named: {@code agent.yaml: models[0].replicas: 0 (expected: 1..64)}. Unknown keys fail
 * too. Model paths are relative to the file's directory.
 */
public final class AgentConfigLoader {
  private AgentConfigLoader() {}

  /**
   * Reads and validates {@code file}, taking the Consul token from the process environment.
   *
   * @throws ConfigException naming the file and the offending key
   */
  public static AgentConfig load(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    return ConfigFile.read(file, SCHEMA, root -> build(root, dir, System::getenv));
  }

  /**
   * Validates a parsed config.
   *
   * @param baseDir the directory relative model paths start from
   * @param env reads an environment variable, null when unset
   * @throws ConfigException naming the offending key
   */
  public static AgentConfig parse(ConfigNode root, Path baseDir, UnaryOperator<String> env) {
    return ConfigFile.read(root, SCHEMA, node -> build(node, baseDir, env));
  }

  private static AgentConfig build(ConfigNode root, Path baseDir, UnaryOperator<String> env) {
    ConfigNode registration = root.child("registration");
    ConfigNode replicas = root.child("replicas");
    return new AgentConfig(
        REGION.read(root),
        ConsulConfig.fromConfig(root.child("consul"), env),
        TTL.read(registration),
        DEREGISTER_CRITICAL_AFTER.read(registration),
        probe(root.child("probe")),
        restart(root.child("restart")),
        MODE.read(replicas),
        START_TIMEOUT.read(replicas),
        DRAIN_TIMEOUT.read(replicas),
        REPLICA_LIMITS.read(replicas.child("limits")),
        REPLICAS.read(replicas),
        REPLICA_REFLECTION.read(replicas),
        METRICS.read(root.child("metrics")),
        faultsTokenFile(root.child("faults"), baseDir),
        TlsSettings.read(root.child("tls")),
        TracingSettings.read(root.child("tracing")),
        featureStore(root.child("feature-store"), baseDir),
        root.children("models").stream().map(model -> model(model, baseDir)).toList());
  }

  private static ProbeConfig probe(ConfigNode node) {
    Duration interval = PROBE_INTERVAL.read(node);
    return new ProbeConfig(
        interval,
        PROBE_JITTER.readOptional(node).orElse(ProbeConfig.defaultJitter(interval)),
        PROBE_TIMEOUT.read(node),
        SUCCESSES_BEFORE_PASSING.read(node),
        FAILURES_BEFORE_CRITICAL.read(node));
  }

  private static RestartConfig restart(ConfigNode node) {
    return new RestartConfig(
        INITIAL_BACKOFF.read(node),
        MAX_BACKOFF.read(node),
        CRASH_LOOP_RESTARTS.read(node),
        CRASH_LOOP_WINDOW.read(node));
  }

  /** With faults on, the token file, checked to hold a token; empty with faults off. */
  private static Optional<Path> faultsTokenFile(ConfigNode node, Path baseDir) {
    if (!FAULTS_ENABLED.read(node)) {
      return Optional.empty();
    }
    String text =
        FAULTS_TOKEN_FILE
            .readOptional(node)
            .orElseThrow(
                () ->
                    node.invalid(
                        FAULTS_TOKEN_FILE.leaf(), null, "a token file, as faults.enabled is true"));
    Path file = file(node, FAULTS_TOKEN_FILE, text, baseDir);
    try {
      AdminToken.read(file);
    } catch (IllegalArgumentException e) {
      throw node.invalid(FAULTS_TOKEN_FILE.leaf(), text, "a file holding a token");
    }
    return Optional.of(file);
  }

  private static ModelConfig model(ConfigNode node, Path baseDir) {
    return new ModelConfig(
        MODEL_NAME.read(node),
        MODEL_VERSION.read(node),
        MODEL_TYPE.read(node),
        MODEL_PATH.readOptional(node).map(path -> file(node, MODEL_PATH, path, baseDir)),
        MODEL_FALLBACK
            .readOptional(node)
            .map(fallback -> file(node, MODEL_FALLBACK, fallback, baseDir)),
        oipServer(node),
        MODEL_REPLICAS.read(node),
        MAX_CONCURRENT_CALLS.read(node),
        LATENCY_OBJECTIVE.read(node),
        MEMORY_LIMIT.read(node),
        WARM_UP_REQUESTS.read(node.child("warm-up")),
        features(node.child("features")),
        confidence(node.child("confidence")));
  }

  /** The region's feature store, if either kind is configured. */
  private static Optional<FeatureStoreConfig> featureStore(ConfigNode node, Path baseDir) {
    Optional<OipServer.Address> primary = FeatureSettings.PRIMARY.readOptional(node);
    Optional<OipServer.Address> replica = FeatureSettings.REPLICA.readOptional(node);
    Optional<Path> embedded =
        FeatureSettings.EMBEDDED
            .readOptional(node)
            .map(seed -> file(node, FeatureSettings.EMBEDDED, seed, baseDir));
    if (primary.isEmpty() && embedded.isEmpty()) {
      if (replica.isPresent()) {
        throw node.invalid(
            FeatureSettings.PRIMARY.leaf(), null, "the primary the replica replicates");
      }
      return Optional.empty();
    }
    if (primary.isPresent() && embedded.isPresent()) {
      throw node.invalid(
          FeatureSettings.EMBEDDED.leaf(),
          embedded.get().toString(),
          "no embedded store beside a Redis `primary`: one or the other");
    }
    Optional<String> passwordText = FeatureSettings.PASSWORD_FILE.readOptional(node);
    Optional<String> passwordFile =
        passwordText.map(
            file -> file(node, FeatureSettings.PASSWORD_FILE, file, baseDir).toString());
    FeatureStoreConfig config =
        new FeatureStoreConfig(
            primary.map(OipServer.Address::toString).orElse(""),
            replica.map(OipServer.Address::toString).orElse(""),
            embedded.map(Path::toString).orElse(""),
            FeatureSettings.LOOKUP_TIMEOUT.read(node),
            FeatureSettings.CACHE_ENTITIES.read(node),
            passwordFile.orElse(""));
    try {
      config.password();
    } catch (IllegalArgumentException e) {
      throw node.invalid(
          FeatureSettings.PASSWORD_FILE.leaf(),
          passwordText.orElse(null),
          "a file holding a password");
    }
    return Optional.of(config);
  }

  /** The model's feature input, when {@code features.input} is set. */
  private static Optional<FeatureInputs> features(ConfigNode node) {
    Optional<String> input = FeatureSettings.INPUT.readOptional(node);
    if (input.isEmpty()) {
      return Optional.empty();
    }
    String entity =
        FeatureSettings.ENTITY
            .readOptional(node)
            .orElseThrow(
                () ->
                    node.invalid(
                        FeatureSettings.ENTITY.leaf(), null, "the entity, as `input` is set"));
    List<FeatureSpec> values = new ArrayList<>();
    for (ConfigNode value : node.children("values")) {
      Duration maxAge = FeatureSettings.FEATURE_MAX_AGE.read(value);
      Duration hardLimit = FeatureSettings.FEATURE_HARD_LIMIT.read(value);
      try {
        values.add(
            new FeatureSpec(
                FeatureSettings.FEATURE_NAME.read(value),
                FeatureSettings.FEATURE_DEFAULT.read(value),
                maxAge,
                hardLimit));
      } catch (IllegalArgumentException e) {
        throw value.invalid(
            FeatureSettings.FEATURE_HARD_LIMIT.leaf(),
            Durations.format(hardLimit),
            "at least max-age (" + Durations.format(maxAge) + ")");
      }
    }
    try {
      return Optional.of(new FeatureInputs(input.get(), entity, values));
    } catch (IllegalArgumentException e) {
      throw node.invalid(
          "values", null, "distinct features, at least one (" + e.getMessage() + ")");
    }
  }

  /** The model's confidence rule, when {@code confidence.output} is set. */
  private static Optional<ConfidenceRule> confidence(ConfigNode node) {
    return FeatureSettings.CONFIDENCE_OUTPUT
        .readOptional(node)
        .map(output -> new ConfidenceRule(output, FeatureSettings.CONFIDENCE_THRESHOLD.read(node)));
  }

  /** The server of {@code command} or {@code address}, whichever is set; not both. */
  private static Optional<OipServer> oipServer(ConfigNode node) {
    Optional<OipServer> command = MODEL_COMMAND.readOptional(node).map(OipServer.Command::new);
    Optional<OipServer> address = MODEL_ADDRESS.readOptional(node).map(OipServer.class::cast);
    if (command.isPresent() && address.isPresent()) {
      throw node.invalid(
          MODEL_ADDRESS.leaf(),
          address.get().toString(),
          "no address beside `" + MODEL_COMMAND.leaf() + "`: one or the other");
    }
    return command.or(() -> address);
  }

  /** {@code text}, the value of {@code key}, as a file relative to the config's directory. */
  private static Path file(ConfigNode node, Setting<String> key, String text, Path baseDir) {
    Path file = baseDir.resolve(text).normalize();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw node.invalid(key.leaf(), text, "a readable file (resolved to " + file + ")");
    }
    return file;
  }
}
