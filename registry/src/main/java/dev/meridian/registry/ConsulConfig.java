package dev.meridian.registry;

import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.config.Setting;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where Consul is and how to talk to it; immutable, validated when built with errors that name the
 * key, for example {@code consul.max-wait: PT10M (expected: 1s..5m)}.
 */
public final class ConsulConfig {
  /** The environment variable the ACL token is read from unless a config names another. */
  public static final String DEFAULT_TOKEN_ENV = "MERIDIAN_CONSUL_TOKEN";

  /** {@code consul.host}. */
  public static final Setting<String> HOST =
      Setting.text("consul.host")
          .withDefault(ListenAddress.DEFAULT_HOST)
          .means("the local Consul agent's address or host name");

  /** {@code consul.port}. */
  public static final Setting<Integer> PORT =
      Setting.integer("consul.port", 1, 65535).withDefault(8500).means("its HTTP port");

  /** {@code consul.token-env}. */
  public static final Setting<String> TOKEN_ENV =
      Setting.text("consul.token-env")
          .withDefault(DEFAULT_TOKEN_ENV)
          .means("environment variable holding the Consul ACL token");

  /** {@code consul.max-wait}, at most 5 minutes: well under the client's 10-minute read timeout. */
  public static final Setting<Duration> MAX_WAIT =
      Setting.duration("consul.max-wait", Duration.ofSeconds(1), Duration.ofMinutes(5))
          .withDefault(Duration.ofSeconds(60))
          .means("wait of each blocking query");

  /** Every key of the {@code consul} section, which every role's file has. */
  public static final List<Setting<?>> SETTINGS = List.of(HOST, PORT, TOKEN_ENV, MAX_WAIT);

  private final String host;
  private final int port;
  private final String token;
  private final Duration maxWait;
  private final Duration connectTimeout;

  private ConsulConfig(Builder builder) {
    this.host = builder.host;
    this.port = builder.port;
    this.token = builder.token;
    this.maxWait = builder.maxWait;
    this.connectTimeout = builder.connectTimeout;
  }

  /**
   * Reads the {@code consul} section of a component's config file: {@code host}, {@code port},
   * {@code token-env} (the name of the environment variable holding the ACL token, so the token
   * never sits in a file; default {@value #DEFAULT_TOKEN_ENV}) and {@code max-wait}.
   *
   * @param environment looks up environment variables (System::getenv in production)
   * @throws ConfigException naming the offending key
   */
  public static ConsulConfig fromConfig(ConfigNode consul, Function<String, String> environment) {
    return builder()
        .host(HOST.read(consul))
        .port(PORT.read(consul))
        .maxWait(MAX_WAIT.read(consul))
        .token(environment.apply(TOKEN_ENV.read(consul)))
        .build();
  }

  /** Starts a builder for the agent at the default address. */
  public static Builder builder() {
    return new Builder();
  }

  /** The Consul agent's host. */
  public String host() {
    return host;
  }

  /** The Consul agent's HTTP port. */
  public int port() {
    return port;
  }

  /** The ACL token, sent only in the {@code X-Consul-Token} header. */
  public Optional<String> token() {
    return Optional.ofNullable(token);
  }

  /** The wait of each blocking query. */
  public Duration maxWait() {
    return maxWait;
  }

  /** How long to wait for a connection to Consul. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * The HTTP read timeout: a blocking query may legitimately take its wait plus Consul's random
   * extra of up to wait/16, so the timeout leaves room for both.
   */
  public Duration readTimeout() {
    return maxWait.plus(maxWait.dividedBy(16)).plusSeconds(10);
  }

  /** Hides the token. */
  @Override
  public String toString() {
    return "ConsulConfig{"
        + host
        + ":"
        + port
        + (token == null ? "" : ", token=<redacted>")
        + ", maxWait="
        + maxWait
        + "}";
  }

  /** Builds a {@link ConsulConfig}; not thread-safe. */
  public static final class Builder {
    private String host = HOST.defaultValue();
    private int port = PORT.defaultValue();
    private String token;
    private Duration maxWait = MAX_WAIT.defaultValue();
    private Duration connectTimeout = Duration.ofSeconds(2);

    private Builder() {}

    /** Sets {@code consul.host}. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Sets {@code consul.port}. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Sets {@code consul.token}; blank means none. */
    public Builder token(String token) {
      this.token = token == null || token.isBlank() ? null : token;
      return this;
    }

    /** Sets {@code consul.max-wait}. */
    public Builder maxWait(Duration maxWait) {
      this.maxWait = maxWait;
      return this;
    }

    /** Sets {@code consul.connect-timeout}. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the offending key
     */
    public ConsulConfig build() {
      HOST.check(host);
      PORT.check(port);
      MAX_WAIT.check(maxWait);
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException(
            "consul.connect-timeout: " + connectTimeout + " (expected: > 0)");
      }
      return new ConsulConfig(this);
    }
  }
}
