package dev.meridian.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gateway's settings, immutable and validated when built: every error names the offending key,
 * for example {@code port: 70000 (expected: 0..65535)}.
 */
public final class GatewayConfig {
  private final int port;
  private final String region;
  private final Map<String, List<InetSocketAddress>> upstreams;
  private final Set<String> models;
  private final Duration defaultTimeout;
  private final int maxInboundMessageBytes;
  private final int maxConcurrentCallsPerConnection;

  private GatewayConfig(Builder builder) {
    this.port = builder.port;
    this.region = builder.region;
    this.upstreams = new LinkedHashMap<>();
    builder.upstreams.forEach((name, addresses) -> upstreams.put(name, List.copyOf(addresses)));
    this.models = new TreeSet<>(builder.models);
    this.defaultTimeout = builder.defaultTimeout;
    this.maxInboundMessageBytes = builder.maxInboundMessageBytes;
    this.maxConcurrentCallsPerConnection = builder.maxConcurrentCallsPerConnection;
  }

  /** Starts a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port to listen on; 0 picks a free one. */
  public int port() {
    return port;
  }

  /** The gateway's own region, tried first. */
  public String region() {
    return region;
  }

  /** The replica addresses of each region, in the order they were added. */
  public Map<String, List<InetSocketAddress>> upstreams() {
    return Map.copyOf(upstreams);
  }

  /** The gateway's region first, then the others in the order they were added. */
  public List<String> regionsInPreferenceOrder() {
    List<String> order = new ArrayList<>();
    order.add(region);
    upstreams.keySet().stream().filter(name -> !name.equals(region)).forEach(order::add);
    return order;
  }

  /** The models the gateway serves. */
  public Set<String> models() {
    return Set.copyOf(models);
  }

  /** The deadline of a call whose caller set none. */
  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  /** The largest request the gateway accepts. */
  public int maxInboundMessageBytes() {
    return maxInboundMessageBytes;
  }

  /** How many calls one client connection may have open at once. */
  public int maxConcurrentCallsPerConnection() {
    return maxConcurrentCallsPerConnection;
  }

  /** Builds a {@link GatewayConfig}; not thread-safe. */
  public static final class Builder {
    private int port = 50051;
    private String region;
    private final Map<String, List<InetSocketAddress>> upstreams = new LinkedHashMap<>();
    private final Set<String> models = new TreeSet<>();
    private Duration defaultTimeout = Duration.ofSeconds(10);
    private int maxInboundMessageBytes = 4 * 1024 * 1024;
    private int maxConcurrentCallsPerConnection = 1000;

    private Builder() {}

    /** Sets {@code port}. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Sets {@code region}, the gateway's own region. */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** Adds the replica addresses of one region. */
    public Builder upstream(String region, List<InetSocketAddress> addresses) {
      upstreams.put(region, List.copyOf(addresses));
      return this;
    }

    /** Adds a model the gateway serves. */
    public Builder model(String model) {
      models.add(model);
      return this;
    }

    /** Sets {@code default-timeout}. */
    public Builder defaultTimeout(Duration timeout) {
      this.defaultTimeout = timeout;
      return this;
    }

    /** Sets {@code max-inbound-message-bytes}. */
    public Builder maxInboundMessageBytes(int bytes) {
      this.maxInboundMessageBytes = bytes;
      return this;
    }

    /** Sets {@code max-concurrent-calls-per-connection}. */
    public Builder maxConcurrentCallsPerConnection(int calls) {
      this.maxConcurrentCallsPerConnection = calls;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first offending key
     */
    public GatewayConfig build() {
      require(port >= 0 && port <= 65535, "port: " + port + " (expected: 0..65535)");
      require(region != null && !region.isBlank(), "region: '" + region + "' (expected: a name)");
      require(!upstreams.isEmpty(), "upstreams: none (expected: at least one region)");
      require(
          upstreams.containsKey(region),
          "region: '" + region + "' has no upstream (expected one of " + upstreams.keySet() + ")");
      upstreams.forEach(
          (name, addresses) ->
              require(!addresses.isEmpty(), "upstreams." + name + ": no replica addresses"));
      require(!models.isEmpty(), "models: none (expected: at least one model name)");
      require(
          !defaultTimeout.isNegative() && !defaultTimeout.isZero(),
          "default-timeout: " + defaultTimeout + " (expected: > 0)");
      require(
          maxInboundMessageBytes > 0,
          "max-inbound-message-bytes: " + maxInboundMessageBytes + " (expected: > 0)");
      require(
          maxConcurrentCallsPerConnection > 0,
          "max-concurrent-calls-per-connection: "
              + maxConcurrentCallsPerConnection
              + " (expected: > 0)");
      return new GatewayConfig(this);
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
