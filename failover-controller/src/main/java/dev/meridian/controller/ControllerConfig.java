package dev.meridian.controller;

import dev.meridian.controller.routing.RoutingPolicy;
import dev.meridian.registry.ConsulConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The failover controller's settings, immutable and validated when built: every error names the
 * offending key, for example {@code leader.lock-delay: PT2M (expected: 0s..60s)}. Load them from
 * YAML with {@link ControllerConfigFile}.
 */
public final class ControllerConfig {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

  private final String id;
  private final String adminHost;
  private final int adminPort;
  private final String advertiseHost;
  private final String metricsHost;
  private final int metricsPort;
  private final String controlDatacenter;
  private final List<String> regions;
  private final ConsulConfig consul;
  private final Duration sessionTtl;
  private final Duration lockDelay;
  private final Duration leaderRetryInterval;
  private final Duration evaluationInterval;
  private final RoutingPolicy routing;
  private final String adminToken;
  private final Path auditLog;

  private ControllerConfig(Builder builder) {
    this.id = builder.id;
    this.adminHost = builder.adminHost;
    this.adminPort = builder.adminPort;
    this.advertiseHost = builder.advertiseHost;
    this.metricsHost = builder.metricsHost;
    this.metricsPort = builder.metricsPort;
    this.controlDatacenter = builder.controlDatacenter;
    this.regions = List.copyOf(builder.regions);
    this.consul = builder.consul;
    this.sessionTtl = builder.sessionTtl;
    this.lockDelay = builder.lockDelay;
    this.leaderRetryInterval = builder.leaderRetryInterval;
    this.evaluationInterval = builder.evaluationInterval;
    this.routing = builder.routing;
    this.adminToken = builder.adminToken;
    this.auditLog = builder.auditLog;
  }

  /** Starts a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** This controller's name, recorded as {@code computed_by} in the tables it writes. */
  public String id() {
    return id;
  }

  /** The address the admin server binds. */
  public String adminHost() {
    return adminHost;
  }

  /** The admin server's port; 0 picks a free one. */
  public int adminPort() {
    return adminPort;
  }

  /**
   * The host other people reach the admin server on; with the bound port it is this controller's
   * candidate id in the leader lock, so that standbys can name the leader.
   */
  public String advertiseHost() {
    return advertiseHost;
  }

  /** The address the metrics server binds. */
  public String metricsHost() {
    return metricsHost;
  }

  /** The metrics server's port; 0 picks a free one. */
  public int metricsPort() {
    return metricsPort;
  }

  /** The datacenter holding the leader lock and the drain records. */
  public String controlDatacenter() {
    return controlDatacenter;
  }

  /** The regions (Consul datacenters), in the order tables list them. */
  public List<String> regions() {
    return regions;
  }

  /** Where Consul is. */
  public ConsulConfig consul() {
    return consul;
  }

  /** The leader session's TTL. */
  public Duration sessionTtl() {
    return sessionTtl;
  }

  /** How long the lock stays unacquirable after a leader's session ends without releasing it. */
  public Duration lockDelay() {
    return lockDelay;
  }

  /** How often a standby tries for the lock. */
  public Duration leaderRetryInterval() {
    return leaderRetryInterval;
  }

  /** How often the leader recomputes tables even without news, so holds and ramps progress. */
  public Duration evaluationInterval() {
    return evaluationInterval;
  }

  /** Thresholds and timings of routing. */
  public RoutingPolicy routing() {
    return routing;
  }

  /** The bearer token admin calls must carry. */
  public String adminToken() {
    return adminToken;
  }

  /** The audit log file (JSON lines). */
  public Path auditLog() {
    return auditLog;
  }

  /** Hides the token. */
  @Override
  public String toString() {
    return "ControllerConfig{id="
        + id
        + ", admin="
        + adminHost
        + ":"
        + adminPort
        + ", regions="
        + regions
        + ", control="
        + controlDatacenter
        + ", consul="
        + consul
        + ", adminToken=<redacted>}";
  }

  /** Builds a {@link ControllerConfig}; not thread-safe. */
  public static final class Builder {
    private String id;
    private String adminHost = "127.0.0.1";
    private int adminPort = 7400;
    private String advertiseHost;
    private String metricsHost = "127.0.0.1";
    private int metricsPort = 9400;
    private String controlDatacenter;
    private List<String> regions = List.of();
    private ConsulConfig consul = ConsulConfig.builder().build();
    private Duration sessionTtl = Duration.ofSeconds(15);
    private Duration lockDelay = Duration.ofSeconds(15);
    private Duration leaderRetryInterval = Duration.ofSeconds(1);
    private Duration evaluationInterval = Duration.ofSeconds(1);
    private RoutingPolicy routing = RoutingPolicy.builder().build();
    private String adminToken;
    private Path auditLog;

    private Builder() {}

    /** Sets {@code id} (required). */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** Sets {@code admin.host} (default 127.0.0.1). */
    public Builder adminHost(String host) {
      this.adminHost = host;
      return this;
    }

    /** Sets {@code admin.port} (default 7400). */
    public Builder adminPort(int port) {
      this.adminPort = port;
      return this;
    }

    /** Sets {@code admin.advertise-host} (default: {@code admin.host}). */
    public Builder advertiseHost(String host) {
      this.advertiseHost = host;
      return this;
    }

    /** Sets {@code metrics.host} (default 127.0.0.1). */
    public Builder metricsHost(String host) {
      this.metricsHost = host;
      return this;
    }

    /** Sets {@code metrics.port} (default 9400). */
    public Builder metricsPort(int port) {
      this.metricsPort = port;
      return this;
    }

    /** Sets {@code control-datacenter} (default: the first region). */
    public Builder controlDatacenter(String datacenter) {
      this.controlDatacenter = datacenter;
      return this;
    }

    /** Sets {@code regions} (required). */
    public Builder regions(List<String> regions) {
      this.regions = List.copyOf(regions);
      return this;
    }

    /** Sets {@code consul}. */
    public Builder consul(ConsulConfig consul) {
      this.consul = consul;
      return this;
    }

    /** Sets {@code leader.session-ttl} (default 15s). */
    public Builder sessionTtl(Duration ttl) {
      this.sessionTtl = ttl;
      return this;
    }

    /** Sets {@code leader.lock-delay} (default 15s). */
    public Builder lockDelay(Duration delay) {
      this.lockDelay = delay;
      return this;
    }

    /** Sets {@code leader.retry-interval} (default 1s). */
    public Builder leaderRetryInterval(Duration interval) {
      this.leaderRetryInterval = interval;
      return this;
    }

    /** Sets {@code routing.evaluation-interval} (default 1s). */
    public Builder evaluationInterval(Duration interval) {
      this.evaluationInterval = interval;
      return this;
    }

    /** Sets the {@code routing} thresholds and timings. */
    public Builder routing(RoutingPolicy routing) {
      this.routing = routing;
      return this;
    }

    /** Sets the admin bearer token (from {@code auth.token-file} or {@code auth.token-env}). */
    public Builder adminToken(String token) {
      this.adminToken = token;
      return this;
    }

    /** Sets {@code audit-log} (required). */
    public Builder auditLog(Path file) {
      this.auditLog = file;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first offending key
     */
    public ControllerConfig build() {
      require(id != null && NAME.matcher(id).matches(), "id", quoted(id), "a name");
      require(notBlank(adminHost), "admin.host", quoted(adminHost), "a host");
      require(adminPort >= 0 && adminPort <= 65535, "admin.port", adminPort, "0..65535");
      if (advertiseHost == null) {
        advertiseHost = adminHost;
      }
      require(notBlank(advertiseHost), "admin.advertise-host", quoted(advertiseHost), "a host");
      require(notBlank(metricsHost), "metrics.host", quoted(metricsHost), "a host");
      require(metricsPort >= 0 && metricsPort <= 65535, "metrics.port", metricsPort, "0..65535");
      require(!regions.isEmpty(), "regions", regions, "at least one region");
      for (String region : regions) {
        require(NAME.matcher(region).matches(), "regions", regions, "datacenter names");
      }
      require(new HashSet<>(regions).size() == regions.size(), "regions", regions, "no repeats");
      if (controlDatacenter == null) {
        controlDatacenter = regions.get(0);
      }
      require(
          regions.contains(controlDatacenter),
          "control-datacenter",
          quoted(controlDatacenter),
          "one of " + regions);
      Objects.requireNonNull(consul, "consul");
      require(
          sessionTtl.compareTo(Duration.ofSeconds(10)) >= 0
              && sessionTtl.compareTo(Duration.ofHours(24)) <= 0,
          "leader.session-ttl",
          sessionTtl,
          "10s..24h");
      require(
          !lockDelay.isNegative() && lockDelay.compareTo(Duration.ofSeconds(60)) <= 0,
          "leader.lock-delay",
          lockDelay,
          "0s..60s");
      require(positive(leaderRetryInterval), "leader.retry-interval", leaderRetryInterval, "> 0");
      require(
          positive(evaluationInterval), "routing.evaluation-interval", evaluationInterval, "> 0");
      Objects.requireNonNull(routing, "routing");
      require(notBlank(adminToken), "auth", "no token", "a token from token-file or token-env");
      require(auditLog != null, "audit-log", null, "a file path");
      return new ControllerConfig(this);
    }

    private static boolean notBlank(String value) {
      return value != null && !value.isBlank();
    }

    private static boolean positive(Duration duration) {
      return duration != null && !duration.isNegative() && !duration.isZero();
    }

    private static String quoted(String value) {
      return value == null ? null : "'" + value + "'";
    }

    private static void require(boolean condition, String key, Object value, String expected) {
      if (!condition) {
        throw new IllegalArgumentException(key + ": " + value + " (expected: " + expected + ")");
      }
    }
  }
}
