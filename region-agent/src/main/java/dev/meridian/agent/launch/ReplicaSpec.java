package dev.meridian.agent.launch;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import dev.meridian.agent.config.AgentConfig;
import dev.meridian.agent.config.ModelConfig;
import dev.meridian.agent.config.OipServer;
import dev.meridian.agent.features.ConfidenceRule;
import dev.meridian.agent.features.FeatureInputs;
import dev.meridian.agent.features.FeatureStoreConfig;
import dev.meridian.agent.model.ModelType;
import dev.meridian.agent.replica.ReplicaIdentity;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.server.ServerLimits;
import dev.meridian.core.tls.TlsFiles;
import dev.meridian.core.tracing.TracingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What one replica runs: its identity, its model and fallback, and its limits. Handed to a child
 * replica process as one JSON argument, hence plain strings and numbers. Immutable.
 *
 * @param region the region
 * @param replicaId the replica's service ID, unique in the fleet
 * @param modelName the model name clients request
 * @param modelVersion the model version
 * @param modelType how to load {@code modelPath}
 * @param modelPath the model file, empty for an external server
 * @param fallbackPath a built-in model's JSON file, or empty for none
 * @param host the address its gRPC and metrics servers bind
 * @param advertiseHost the address or host name others reach it on: registered in Consul, and
 *     dialled by its own warm-up calls and by the agent's probes
 * @param port the port to listen on, 0 for a free one
 * @param maxConcurrentCalls calls run at once
 * @param startTimeoutMillis how long the replica may take to load its models, listen and warm up
 * @param drainTimeoutMillis how long a stop lets in-flight calls finish
 * @param memoryLimit the {@code -Xmx} value of a child process, such as {@code 512m}
 * @param faultsTokenFile with fault injection on, the file holding its admin token; empty when off
 * @param warmUpRequests canary calls the replica runs through its own server before it reports
 *     ready
 * @param limits what its gRPC server tolerates from its clients
 * @param tls the replica's TLS files, or null for plaintext
 * @param featureStore where the replica looks features up, or null when its model has none
 * @param features the input the replica assembles from features, or null for none
 * @param confidence when the primary's answer goes to the fallback model, or null for never
 * @param tracing where the replica exports its spans, or null for off
 * @param reflection whether its gRPC servers serve reflection and channelz
 */
public record ReplicaSpec(
    String region,
    String replicaId,
    String modelName,
    String modelVersion,
    ModelType modelType,
    String modelPath,
    String fallbackPath,
    String host,
    String advertiseHost,
    int port,
    int maxConcurrentCalls,
    long startTimeoutMillis,
    long drainTimeoutMillis,
    String memoryLimit,
    String faultsTokenFile,
    int warmUpRequests,
    ServerLimits limits,
    Tls tls,
    FeatureStoreConfig featureStore,
    FeatureInputs features,
    ConfidenceRule confidence,
    TracingConfig tracing,
    boolean reflection) {
  private static final Gson GSON =
      new GsonBuilder().registerTypeAdapter(Duration.class, new DurationAdapter()).create();

  /** Writes a {@link Duration} as its ISO-8601 text, which {@code java.time} cannot expose. */
  private static final class DurationAdapter extends TypeAdapter<Duration> {
    @Override
    public void write(JsonWriter out, Duration value) throws IOException {
      out.value(value.toString());
    }

    @Override
    public Duration read(JsonReader in) throws IOException {
      String text = in.nextString();
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw new JsonParseException("not a duration: " + text, e);
      }
    }
  }

  /**
   * The spec of replica {@code index} of {@code model}, on a free port of the replicas' host; a
   * server the agent attaches to is advertised at its own host.
   */
  public static ReplicaSpec of(AgentConfig agent, ModelConfig model, int index) {
    Optional<String> attachedHost =
        model
            .server()
            .filter(OipServer.Address.class::isInstance)
            .map(server -> ((OipServer.Address) server).host());
    return new ReplicaSpec(
        agent.region(),
        agent.region() + "-" + model.name() + "-" + index,
        model.name(),
        model.version(),
        model.type(),
        model.path().map(Path::toString).orElse(""),
        model.fallback().map(Path::toString).orElse(""),
        attachedHost.orElse(agent.replicas().host()),
        attachedHost.orElse(agent.replicas().advertiseHost()),
        0,
        model.maxConcurrentCalls(),
        agent.startTimeout().toMillis(),
        agent.drainTimeout().toMillis(),
        model.memoryLimit().text(),
        agent.faultsTokenFile().map(Path::toString).orElse(""),
        model.warmUpRequests(),
        agent.replicaLimits(),
        agent.tls().map(Tls::of).orElse(null),
        model.features().flatMap(features -> agent.featureStore()).orElse(null),
        model.features().orElse(null),
        model.confidence().orElse(null),
        agent.tracing().orElse(null),
        agent.replicaReflection());
  }

  /** Reads a spec written by {@link #toJson()}. */
  public static ReplicaSpec fromJson(String json) {
    try {
      return GSON.fromJson(json, ReplicaSpec.class);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("not a replica spec: " + e.getMessage(), e);
    }
  }

  /** The spec as one line of JSON. */
  public String toJson() {
    return GSON.toJson(this);
  }

  /** The same spec on another port; a restart keeps its predecessor's port. */
  public ReplicaSpec withPort(int newPort) {
    return new ReplicaSpec(
        region,
        replicaId,
        modelName,
        modelVersion,
        modelType,
        modelPath,
        fallbackPath,
        host,
        advertiseHost,
        newPort,
        maxConcurrentCalls,
        startTimeoutMillis,
        drainTimeoutMillis,
        memoryLimit,
        faultsTokenFile,
        warmUpRequests,
        limits,
        tls,
        featureStore,
        features,
        confidence,
        tracing,
        reflection);
  }

  /** Where others reach the replica: {@code advertiseHost:port}, an IPv6 address in brackets. */
  public String advertisedAddress() {
    return new ListenAddress(host, port, advertiseHost).advertised(port);
  }

  /** The replica's identity. */
  public ReplicaIdentity identity() {
    return new ReplicaIdentity(region, replicaId);
  }

  /** The fallback model's file, if any. */
  public Optional<Path> fallback() {
    return fallbackPath.isEmpty() ? Optional.empty() : Optional.of(Path.of(fallbackPath));
  }

  /** The input the replica assembles from features, with the store it reads them from. */
  public Optional<FeatureInputs> featureInputs() {
    return Optional.ofNullable(features);
  }

  /** When the primary's answer goes to the fallback model. */
  public Optional<ConfidenceRule> confidenceRule() {
    return Optional.ofNullable(confidence);
  }

  /** Where the replica exports its spans; empty for off. */
  public Optional<TracingConfig> tracingConfig() {
    return Optional.ofNullable(tracing);
  }

  /** With fault injection on, the file holding its admin token. */
  public Optional<Path> faultsToken() {
    return faultsTokenFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(faultsTokenFile));
  }

  /** How long the replica may take to load its models, listen and warm up. */
  public Duration startTimeout() {
    return Duration.ofMillis(startTimeoutMillis);
  }

  /** The replica's TLS files; empty for plaintext. */
  public Optional<TlsFiles> tlsFiles() {
    return Optional.ofNullable(tls).map(Tls::files);
  }

  /**
   * The TLS files as strings, for the JSON a child process reads.
   *
   * @param certificate {@code tls.cert}
   * @param key {@code tls.key}
   * @param authority {@code tls.ca}
   * @param refreshMillis {@code tls.refresh}
   */
  public record Tls(String certificate, String key, String authority, long refreshMillis) {
    static Tls of(TlsFiles files) {
      return new Tls(
          files.certificate().toString(),
          files.key().toString(),
          files.authority().toString(),
          files.refresh().toMillis());
    }

    TlsFiles files() {
      return new TlsFiles(
          Path.of(certificate), Path.of(key), Path.of(authority), Duration.ofMillis(refreshMillis));
    }
  }

  /** How long a stop lets in-flight calls finish. */
  public Duration drainTimeout() {
    return Duration.ofMillis(drainTimeoutMillis);
  }
}
