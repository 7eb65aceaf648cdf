package dev.meridian.gateway;

import static dev.meridian.gateway.GatewaySettings.DEFAULT_TIMEOUT;
import static dev.meridian.gateway.GatewaySettings.DRAIN_PERIOD;
import static dev.meridian.gateway.GatewaySettings.LIMITS;
import static dev.meridian.gateway.GatewaySettings.LISTEN;
import static dev.meridian.gateway.GatewaySettings.LISTEN_CLIENT_AUTH;
import static dev.meridian.gateway.GatewaySettings.LISTEN_REFLECTION;
import static dev.meridian.gateway.GatewaySettings.LOAD_REPORT_INTERVAL;
import static dev.meridian.gateway.GatewaySettings.METRICS;
import static dev.meridian.gateway.GatewaySettings.REGION;
import static dev.meridian.gateway.GatewaySettings.REGIONS;
import static dev.meridian.gateway.GatewaySettings.WARM_UP_REQUESTS;
import static dev.meridian.gateway.GatewaySettings.WARM_UP_TIMEOUT;

import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.server.ServerLimits;
import dev.meridian.core.tls.TlsFiles;
import dev.meridian.core.tracing.TracingConfig;
import dev.meridian.gateway.call.ModelPolicy;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.registry.ConsulConfig;
import io.grpc.TlsServerCredentials.ClientAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's settings, immutable and checked when built through {@link GatewaySettings}, so
 * every error names the offending key, for example {@code listen.port: 70000 (expected: 0..65535)}.
 * {@link GatewayConfigLoader} builds one from a YAML file.
 */
public final class GatewayConfig {
  private final String region;
  private final List<String> regions;
  private final ListenAddress listen;
  private final ClientAuth clientAuth;
  private final boolean reflection;
  private final Optional<TlsFiles> tls;
  private final Optional<TracingConfig> tracing;
  private final ListenAddress metrics;
  private final ConsulConfig consul;
  private final Path lastKnownGoodFile;
  private final Duration defaultTimeout;
  private final Duration drainPeriod;
  private final Duration loadReportInterval;
  private final ServerLimits limits;
  private final Map<String, ModelPolicy> models;
  private final PolicyConfig policies;
  private final int warmUpRequests;
  private final Duration warmUpTimeout;

  private GatewayConfig(Builder builder) {
    this.region = builder.region;
    this.regions = builder.regions.isEmpty() ? List.of(region) : List.copyOf(builder.regions);
    this.listen = builder.listen;
    this.clientAuth = builder.clientAuth;
    this.reflection = builder.reflection;
    this.tls = builder.tls;
    this.tracing = builder.tracing;
    this.metrics = builder.metrics;
    this.consul = builder.consul;
    this.lastKnownGoodFile =
        builder.lastKnownGoodFile != null
            ? builder.lastKnownGoodFile
            : Path.of("run", "gateway-" + region + "-routing.json");
    this.defaultTimeout = builder.defaultTimeout;
    this.drainPeriod = builder.drainPeriod;
    this.loadReportInterval = builder.loadReportInterval;
    this.limits = builder.limits;
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

  /** Where {@code Predict} and health are served; port 0 picks a free one. */
  public ListenAddress listen() {
    return listen;
  }

  /** Whether, with TLS on, {@code Predict} callers must present a certificate. */
  public ClientAuth clientAuth() {
    return clientAuth;
  }

  /**
   * Whether the {@code Predict} port also serves reflection and channelz ({@code DebugServices}).
   */
  public boolean reflection() {
    return reflection;
  }

  /** The gateway's TLS files; empty means plaintext on every hop. */
  public Optional<TlsFiles> tls() {
    return tls;
  }

  /** Where spans go; empty when tracing is off. */
  public Optional<TracingConfig> tracing() {
    return tracing;
  }

  /** Where {@code /metrics} is served; port 0 picks a free one. */
  public ListenAddress metrics() {
    return metrics;
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

  /** How often the gateway writes its load report to Consul. */
  public Duration loadReportInterval() {
    return loadReportInterval;
  }

  /** What the public listener tolerates from callers. */
  public ServerLimits limits() {
    return limits;
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
    private ListenAddress listen = defaultListener(LISTEN.port().defaultValue());
    private ListenAddress metrics = defaultListener(METRICS.port().defaultValue());
    private ClientAuth clientAuth = LISTEN_CLIENT_AUTH.defaultValue();
    private boolean reflection = LISTEN_REFLECTION.defaultValue();
    private Optional<TlsFiles> tls = Optional.empty();
    private Optional<TracingConfig> tracing = Optional.empty();
    private ConsulConfig consul = ConsulConfig.builder().build();
    private Path lastKnownGoodFile;
    private Duration defaultTimeout = DEFAULT_TIMEOUT.defaultValue();
    private Duration drainPeriod = DRAIN_PERIOD.defaultValue();
    private Duration loadReportInterval = LOAD_REPORT_INTERVAL.defaultValue();
    private ServerLimits limits = LIMITS.defaults();
    private final Map<String, ModelPolicy> models = new LinkedHashMap<>();
    private PolicyConfig policies = PolicyConfig.defaults();
    private int warmUpRequests = WARM_UP_REQUESTS.defaultValue();
    private Duration warmUpTimeout = WARM_UP_TIMEOUT.defaultValue();

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

    private static ListenAddress defaultListener(int port) {
      return new ListenAddress(ListenAddress.DEFAULT_HOST, port, ListenAddress.DEFAULT_HOST);
    }

    /** Sets {@code listen.*}. */
    public Builder listen(ListenAddress listen) {
      this.listen = listen;
      return this;
    }

    /** {@code listen.client-auth}. */
    public Builder clientAuth(ClientAuth clientAuth) {
      this.clientAuth = clientAuth;
      return this;
    }

    /** Sets whether the {@code Predict} port also serves reflection and channelz. */
    public Builder reflection(boolean reflection) {
      this.reflection = reflection;
      return this;
    }

    /** The {@code tls} section; empty for plaintext. */
    public Builder tls(Optional<TlsFiles> tls) {
      this.tls = tls;
      return this;
    }

    /** The {@code tracing} section; empty for off. */
    public Builder tracing(Optional<TracingConfig> tracing) {
      this.tracing = tracing;
      return this;
    }

    /** Sets {@code listen.port}, keeping the hosts. */
    public Builder port(int port) {
      this.listen = new ListenAddress(listen.host(), port, listen.advertiseHost());
      return this;
    }

    /** Sets {@code metrics.*}. */
    public Builder metrics(ListenAddress metrics) {
      this.metrics = metrics;
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

    /** Sets {@code load-report.interval}. */
    public Builder loadReportInterval(Duration interval) {
      this.loadReportInterval = interval;
      return this;
    }

    /** Sets {@code limits.*}. */
    public Builder limits(ServerLimits limits) {
      this.limits = limits;
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
      REGION.check(region);
      if (!regions.isEmpty() && !regions.contains(region)) {
        throw REGIONS.invalid(regions, "to include the gateway's region " + region);
      }
      LISTEN.port().check(listen.port());
      METRICS.port().check(metrics.port());
      DEFAULT_TIMEOUT.check(defaultTimeout);
      DRAIN_PERIOD.check(drainPeriod);
      LOAD_REPORT_INTERVAL.check(loadReportInterval);
      LIMITS.check(limits);
      WARM_UP_REQUESTS.check(warmUpRequests);
      WARM_UP_TIMEOUT.check(warmUpTimeout);
      return new GatewayConfig(this);
    }
  }
}
