package dev.meridian.gateway;

import dev.meridian.gateway.call.ModelPolicy;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.registry.ConsulConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The gateway's settings, immutable and validated when built: every error names the offending key,
 * for example {@code port: 70000 (expected: 0..65535)}. {@link GatewayConfigLoader} builds one from
 * a YAML file.
 */
public final class GatewayConfig {
  private final String region;
  private final List<String> regions;
  private final String host;
  private final int port;
  private final OptionalInt metricsPort;
  private final ConsulConfig consul;
  private final Path lastKnownGoodFile;
  private final Duration defaultTimeout;
  private final Duration drainPeriod;
  private final int maxInboundMessageBytes;
  private final int maxInboundMetadataBytes;
  private final int maxConcurrentCallsPerConnection;
  private final Duration permitKeepAliveTime;
  private final Map<String, ModelPolicy> models;
  private final PolicyConfig policies;
  private final int warmUpRequests;
  private final Duration warmUpTimeout;

  private GatewayConfig(Builder builder) {
    this.region = builder.region;
    this.regions = builder.regions.isEmpty() ? List.of(region) : List.copyOf(builder.regions);
    this.host = builder.host;
    this.port = builder.port;
    this.metricsPort = builder.metricsPort;
    this.consul = builder.consul;
    this.lastKnownGoodFile =
        builder.lastKnownGoodFile != null
            ? builder.lastKnownGoodFile
            : Path.of("run", "gateway-" + region + "-routing.json");
    this.defaultTimeout = builder.defaultTimeout;
    this.drainPeriod = builder.drainPeriod;
    this.maxInboundMessageBytes = builder.maxInboundMessageBytes;
    this.maxInboundMetadataBytes = builder.maxInboundMetadataBytes;
    this.maxConcurrentCallsPerConnection = builder.maxConcurrentCallsPerConnection;
    this.permitKeepAliveTime = builder.permitKeepAliveTime;
    this.models = Map.copyOf(builder.models);
    this.policies = builder.policies;
    this.warmUpRequests = builder.warmUpRequests;
    this.warmUpTimeout = builder.warmUpTimeout;
  }

  /** Starts a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The gateway's own region: its tables are read from this region's datacenter. */
  public String region() {
    return region;
  }

  /** Every region the gateway may call, its own included. */
  public List<String> regions() {
    return regions;
  }

  /** The address to listen on. */
  public String host() {
    return host;
  }

  /** The port to listen on; 0 picks a free one. */
  public int port() {
    return port;
  }

  /** The port of the metrics endpoint, if metrics are served. */
  public OptionalInt metricsPort() {
    return metricsPort;
  }

  /** How to reach Consul. */
  public ConsulConfig consul() {
    return consul;
  }

  /** Where the last-known-good routing view is kept. */
  public Path lastKnownGoodFile() {
    return lastKnownGoodFile;
  }

  /** The deadline of a call whose caller set none. */
  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  /** How long the gateway reports NOT_SERVING before it stops, so balancers move away first. */
  public Duration drainPeriod() {
    return drainPeriod;
  }

  /** The largest request accepted. */
  public int maxInboundMessageBytes() {
    return maxInboundMessageBytes;
  }

  /** The largest request metadata accepted. */
  public int maxInboundMetadataBytes() {
    return maxInboundMetadataBytes;
  }

  /** How many calls one client connection may have open at once. */
  public int maxConcurrentCallsPerConnection() {
    return maxConcurrentCallsPerConnection;
  }

  /** The most frequent client keepalive ping tolerated. */
  public Duration permitKeepAliveTime() {
    return permitKeepAliveTime;
  }

  /** The degradation settings of the model, or plain ones for a model not configured. */
  public ModelPolicy model(String name) {
    return models.getOrDefault(name, ModelPolicy.plain(name));
  }

  /** Whether {@code name} is configured. */
  public boolean configures(String name) {
    return models.containsKey(name);
  }

  /** The resilience policies. */
  public PolicyConfig policies() {
    return policies;
  }

  /** Predicts sent to each replica learned, to warm the path to it, before it gets calls. */
  public int warmUpRequests() {
    return warmUpRequests;
  }

  /** The longest one replica's warm-up may take before it is given up on. */
  public Duration warmUpTimeout() {
    return warmUpTimeout;
  }

  /** Builds a {@link GatewayConfig}; not thread-safe. */
  public static final class Builder {
    private String region;
    private final List<String> regions = new ArrayList<>();
    private String host = "127.0.0.1";
    private int port = 50051;
    private OptionalInt metricsPort = OptionalInt.empty();
    private ConsulConfig consul = ConsulConfig.builder().build();
    private Path lastKnownGoodFile;
    private Duration defaultTimeout = Duration.ofSeconds(10);
    private Duration drainPeriod = Duration.ofSeconds(5);
    private int maxInboundMessageBytes = 4 * 1024 * 1024;
    private int maxInboundMetadataBytes = 16 * 1024;
    private int maxConcurrentCallsPerConnection = 1000;
    private Duration permitKeepAliveTime = Duration.ofSeconds(10);
    private final Map<String, ModelPolicy> models = new LinkedHashMap<>();
    private PolicyConfig policies = PolicyConfig.defaults();
    private int warmUpRequests = 200;
    private Duration warmUpTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** Sets {@code region}. */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** Sets {@code regions}. */
    public Builder regions(List<String> regions) {
      this.regions.clear();
      this.regions.addAll(regions);
      return this;
    }

    /** Sets {@code listen.host}. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Sets {@code listen.port}. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Sets {@code metrics-port}. */
    public Builder metricsPort(int port) {
      this.metricsPort = OptionalInt.of(port);
      return this;
    }

    /** Sets {@code consul}. */
    public Builder consul(ConsulConfig consul) {
      this.consul = consul;
      return this;
    }

    /** Sets {@code last-known-good-file}. */
    public Builder lastKnownGoodFile(Path file) {
      this.lastKnownGoodFile = file;
      return this;
    }

    /** Sets {@code default-timeout}. */
    public Builder defaultTimeout(Duration timeout) {
      this.defaultTimeout = timeout;
      return this;
    }

    /** Sets {@code drain-period}. */
    public Builder drainPeriod(Duration period) {
      this.drainPeriod = period;
      return this;
    }

    /** Sets {@code limits.max-inbound-message-bytes}. */
    public Builder maxInboundMessageBytes(int bytes) {
      this.maxInboundMessageBytes = bytes;
      return this;
    }

    /** Sets {@code limits.max-inbound-metadata-bytes}. */
    public Builder maxInboundMetadataBytes(int bytes) {
      this.maxInboundMetadataBytes = bytes;
      return this;
    }

    /** Sets {@code limits.max-concurrent-calls-per-connection}. */
    public Builder maxConcurrentCallsPerConnection(int calls) {
      this.maxConcurrentCallsPerConnection = calls;
      return this;
    }

    /** Sets {@code limits.permit-keepalive-time}. */
    public Builder permitKeepAliveTime(Duration time) {
      this.permitKeepAliveTime = time;
      return this;
    }

    /** Adds an entry of {@code models}. */
    public Builder model(ModelPolicy model) {
      models.put(model.name(), model);
      return this;
    }

    /** Sets {@code policies}. */
    public Builder policies(PolicyConfig policies) {
      this.policies = policies;
      return this;
    }

    /** Sets {@code warm-up.requests}. */
    public Builder warmUpRequests(int requests) {
      this.warmUpRequests = requests;
      return this;
    }

    /** Sets {@code warm-up.timeout}. */
    public Builder warmUpTimeout(Duration timeout) {
      this.warmUpTimeout = timeout;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first offending key
     */
    public GatewayConfig build() {
      require(region != null && !region.isBlank(), "region: '" + region + "' (expected: a name)");
      require(
          regions.isEmpty() || regions.contains(region),
          "regions: " + regions + " (expected: to include the gateway's region " + region + ")");
      require(port >= 0 && port <= 65535, "listen.port: " + port + " (expected: 0..65535)");
      metricsPort.ifPresent(
          p -> require(p >= 0 && p <= 65535, "metrics-port: " + p + " (expected: 0..65535)"));
      require(positive(defaultTimeout), "default-timeout: " + defaultTimeout + " (expected: > 0)");
      require(!drainPeriod.isNegative(), "drain-period: " + drainPeriod + " (expected: >= 0)");
      require(
          maxInboundMessageBytes > 0,
          "limits.max-inbound-message-bytes: " + maxInboundMessageBytes + " (expected: > 0)");
      require(
          maxInboundMetadataBytes > 0,
          "limits.max-inbound-metadata-bytes: " + maxInboundMetadataBytes + " (expected: > 0)");
      require(
          maxConcurrentCallsPerConnection > 0,
          "limits.max-concurrent-calls-per-connection: "
              + maxConcurrentCallsPerConnection
              + " (expected: > 0)");
      require(
          positive(permitKeepAliveTime),
          "limits.permit-keepalive-time: " + permitKeepAliveTime + " (expected: > 0)");
      require(warmUpRequests >= 0, "warm-up.requests: " + warmUpRequests + " (expected: >= 0)");
      require(positive(warmUpTimeout), "warm-up.timeout: " + warmUpTimeout + " (expected: > 0)");
      return new GatewayConfig(this);
    }

    private static boolean positive(Duration duration) {
      return !duration.isNegative() && !duration.isZero();
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
