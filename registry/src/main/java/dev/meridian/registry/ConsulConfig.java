package dev.meridian.registry;

import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.config.Setting;
import dev.meridian.core.tls.TlsPeer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.http.conn.util.InetAddressUtils;

/**
 * Where Consul is and how to talk to it; immutable, validated when built with errors that name the
 * key, for example {@code consul.max-wait: PT10M (expected: 1s..5m)}. Over HTTPS the server's
 * certificate must chain to {@code consul.ca-file} (the JDK's authorities when none is named) and
 * carry {@link #tlsServerName()}.
 */
public final class ConsulConfig {
  /** The environment variable the ACL token is read from unless a config names another. */
  public static final String DEFAULT_TOKEN_ENV = "MERIDIAN_CONSUL_TOKEN";

  /** {@code consul.host}. */
  public static final Setting<String> HOST =
      Setting.text("consul.host")
          .withDefault(
              ListenAddress.DEFAULT_HOST,
              "`CONSUL_HTTP_ADDR`'s host, else `" + ListenAddress.DEFAULT_HOST + "`")
          .means("the local Consul agent's address or host name");

  /** {@code consul.port}. */
  public static final Setting<Integer> PORT =
      Setting.integer("consul.port", 1, 65535)
          .withDefault(8500, "`CONSUL_HTTP_ADDR`'s port, else `8500`")
          .means("its HTTP(S) port");

  /** {@code consul.https}. */
  public static final Setting<Boolean> HTTPS =
      Setting.flag("consul.https")
          .withDefault(
              false,
              "`true` when `CONSUL_HTTP_ADDR` starts with `https://` or `CONSUL_HTTP_SSL` is true,"
                  + " else `false`")
          .means("speak HTTPS to Consul, verifying its certificate and host name");

  /** {@code consul.ca-file}. */
  public static final Setting<Path> CA_FILE =
      Setting.path("consul.ca-file")
          .derivedWhenAbsent("`CONSUL_CACERT`, else the JDK's authorities")
          .means("with `consul.https`, the authorities Consul's certificate must chain to (PEM)");

  /** {@code consul.tls-server-name}. */
  public static final Setting<String> TLS_SERVER_NAME =
      Setting.text("consul.tls-server-name")
          .derivedWhenAbsent(
              "`CONSUL_TLS_SERVER_NAME`, else `consul.host` when a name, `"
                  + TlsPeer.CONSUL.serverName()
                  + "` when an address")
          .means("with `consul.https`, the name Consul's certificate must carry");

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
  public static final List<Setting<?>> SETTINGS =
      List.of(HOST, PORT, HTTPS, CA_FILE, TLS_SERVER_NAME, TOKEN_ENV, MAX_WAIT);

  private final String host;
  private final int port;
  private final boolean https;
  private final Path caFile;
  private final String tlsServerName;
  private final String token;
  private final Duration maxWait;
  private final Duration connectTimeout;

  private ConsulConfig(Builder builder) {
    this.host = builder.host;
    this.port = builder.port;
    this.https = builder.https;
    this.caFile = builder.caFile;
    this.tlsServerName =
        builder.tlsServerName != null
            ? builder.tlsServerName
            : isAddress(host) ? TlsPeer.CONSUL.serverName() : host;
    this.token = builder.token;
    this.maxWait = builder.maxWait;
    this.connectTimeout = builder.connectTimeout;
  }

  /**
   * Reads the {@code consul} section of a component's config file: {@code host}, {@code port},
   * {@code https}, {@code ca-file}, {@code tls-server-name}, {@code token-env} (the name of the
   * environment variable holding the ACL token, so the token never sits in a file; default {@value
   * #DEFAULT_TOKEN_ENV}) and {@code max-wait}. A key left out is taken from Consul's standard
   * environment variables when they say ({@link ConsulEnvironment}); the token from {@code
   * token-env}'s variable, else {@code CONSUL_HTTP_TOKEN}, else {@code CONSUL_HTTP_TOKEN_FILE}'s
   * file.
   *
   * @param environment looks up environment variables (System::getenv in production)
   * @throws ConfigException naming the offending key or environment variable
   */
  public static ConsulConfig fromConfig(ConfigNode consul, Function<String, String> environment) {
    ConsulEnvironment standard = ConsulEnvironment.read(environment);
    Builder builder =
        builder()
            .host(HOST.readOptional(consul).or(standard::host).orElse(HOST.defaultValue()))
            .port(PORT.readOptional(consul).or(standard::port).orElse(PORT.defaultValue()))
            .https(HTTPS.readOptional(consul).orElse(standard.https()))
            .maxWait(MAX_WAIT.read(consul))
            .token(
                Optional.ofNullable(environment.apply(TOKEN_ENV.read(consul)))
                    .filter(token -> !token.isBlank())
                    .or(standard::token)
                    .orElse(null));
    CA_FILE.readOptional(consul).or(standard::authority).ifPresent(builder::caFile);
    TLS_SERVER_NAME.readOptional(consul).or(standard::serverName).ifPresent(builder::tlsServerName);
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(consul.source() + ": " + e.getMessage(), e);
    }
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

  /** Whether Consul is reached over HTTPS. */
  public boolean https() {
    return https;
  }

  /** {@code https} or {@code http}. */
  public String scheme() {
    return https ? "https" : "http";
  }

  /** The authorities Consul's certificate must chain to; the JDK's when empty. */
  public Optional<Path> caFile() {
    return Optional.ofNullable(caFile);
  }

  /**
   * The name Consul's certificate must carry: the configured one, else the host when it is a name,
   * else {@link TlsPeer#CONSUL}'s, since a certificate for an address says nothing about the role.
   */
  public String tlsServerName() {
    return tlsServerName;
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
        + scheme()
        + "://"
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
    private boolean https = HTTPS.defaultValue();
    private Path caFile;
    private String tlsServerName;
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

    /** Sets {@code consul.https}. */
    public Builder https(boolean https) {
      this.https = https;
      return this;
    }

    /** Sets {@code consul.ca-file}. */
    public Builder caFile(Path caFile) {
      this.caFile = caFile;
      return this;
    }

    /** Sets {@code consul.tls-server-name}. */
    public Builder tlsServerName(String tlsServerName) {
      this.tlsServerName = TLS_SERVER_NAME.check(tlsServerName);
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
      if (!https && caFile != null) {
        throw CA_FILE.invalid(caFile, "only with consul.https: true");
      }
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException(
            "consul.connect-timeout: " + connectTimeout + " (expected: > 0)");
      }
      return new ConsulConfig(this);
    }
  }

  private static boolean isAddress(String host) {
    return InetAddressUtils.isIPv4Address(host) || InetAddressUtils.isIPv6Address(host);
  }
}
