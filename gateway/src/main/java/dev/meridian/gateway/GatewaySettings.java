package dev.meridian.gateway;

import dev.meridian.core.ResourceNames;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.ConfigSchema;
import dev.meridian.core.config.ListenerSettings;
import dev.meridian.core.config.Setting;
import dev.meridian.core.server.ServerLimitSettings;
import dev.meridian.core.server.ServerLimits;
import dev.meridian.core.tls.TlsSettings;
import dev.meridian.core.tracing.TracingSettings;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.registry.ConsulConfig;
import io.grpc.TlsServerCredentials.ClientAuth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every key of the gateway's config file, each stated once: {@link GatewayConfigLoader} reads
 * through these, {@link GatewayConfig.Builder} starts from their defaults and checks through them,
 * and the README's reference table is generated from {@link #SCHEMA}.
 */
public final class GatewaySettings {
  /** {@code region}. */
  public static final Setting<String> REGION =
      Setting.name("region")
          .required()
          .means("the gateway's region; its tables are read from this datacenter");

  /** {@code regions}. */
  public static final Setting<List<String>> REGIONS =
      Setting.texts("regions")
          .allowing(
              names -> names.stream().allMatch(ResourceNames::isValid),
              "names of " + ResourceNames.RULE)
          .withDefault(List.of(), "its own")
          .means("every region the gateway may call, its own included");

  /** {@code listen.*}: the public {@code Predict} and health listener. */
  public static final ListenerSettings LISTEN =
      ListenerSettings.of("listen", 50051, "`Predict` and `grpc.health.v1`");

  /** {@code listen.client-auth}. */
  public static final Setting<ClientAuth> LISTEN_CLIENT_AUTH =
      TlsSettings.clientAuth(
          "listen.client-auth",
          ClientAuth.NONE,
          "with TLS on, whether `Predict` callers must present a certificate from `tls.ca`");

  /** {@code listen.reflection}. */
  public static final Setting<Boolean> LISTEN_REFLECTION =
      Setting.flag("listen.reflection")
          .withDefault(false)
          .means(
              "gRPC server reflection and channelz on the `Predict` port, for grpcurl and"
                  + " grpcdebug");

  /** {@code metrics.*}. */
  public static final ListenerSettings METRICS = ListenerSettings.of("metrics", 9460, "`/metrics`");

  /** {@code metrics-port}, the older name of {@code metrics.port}. */
  public static final Setting<Integer> LEGACY_METRICS_PORT =
      Setting.integer("metrics-port", 0, 65535)
          .derivedWhenAbsent("`metrics.port`")
          .means("older name of `metrics.port`, still read; wins when both are set");

  /** {@code last-known-good-file}. */
  public static final Setting<String> LAST_KNOWN_GOOD_FILE =
      Setting.text("last-known-good-file")
          .derivedWhenAbsent("`run/gateway-<region>-routing.json`")
          .means("the routing view kept on disk, served from when Consul is unreachable");

  /** {@code default-timeout}. */
  public static final Setting<Duration> DEFAULT_TIMEOUT =
      Setting.duration("default-timeout", Duration.ofMillis(1))
          .withDefault(Duration.ofSeconds(10))
          .means("deadline of calls whose caller set none");

  /** {@code drain-period}. */
  public static final Setting<Duration> DRAIN_PERIOD =
      Setting.duration("drain-period", Duration.ZERO)
          .withDefault(Duration.ofSeconds(5))
          .means("NOT_SERVING this long before stopping, so balancers move away first");

  /** {@code load-report.interval}. */
  public static final Setting<Duration> LOAD_REPORT_INTERVAL =
      Setting.duration("load-report.interval", Duration.ofMillis(100), Duration.ofMinutes(5))
          .withDefault(Duration.ofSeconds(5))
          .means(
              "how often the gateway writes its load (calls/s and mean calls in flight per model"
                  + " and region) to `meridian/load/<region>-<host name>-<port>` in its"
                  + " datacenter, for the controller's drain checks");

  /**
   * {@code limits.*}: what the public listener tolerates from callers. The four keys it has always
   * had ({@code max-inbound-message-bytes}, {@code max-inbound-metadata-bytes}, {@code
   * max-concurrent-calls-per-connection}, {@code permit-keepalive-time}) keep their names and
   * defaults. Connections live at most an hour (then callers reconnect, so load spreads over new
   * gateways), and one sending over 1000 {@code RST_STREAM} frames a second is closed.
   */
  public static final ServerLimitSettings LIMITS =
      ServerLimitSettings.under(
          "limits",
          new ServerLimits(
              1000,
              1000,
              Duration.ofSeconds(1),
              Duration.ofHours(1),
              Duration.ofMinutes(1),
              Duration.ofMinutes(30),
              Duration.ofSeconds(10),
              true,
              Duration.ofSeconds(10),
              4 * 1024 * 1024,
              16 * 1024));

  /** {@code warm-up.requests}. */
  public static final Setting<Integer> WARM_UP_REQUESTS =
      Setting.integer("warm-up.requests", 0, 10_000)
          .withDefault(200)
          .means(
              "`Predict`s without inputs sent to each replica learned (answered"
                  + " `INVALID_ARGUMENT`) before it gets calls and before the gateway reports"
                  + " SERVING; `0` only connects");

  /** {@code warm-up.timeout}. */
  public static final Setting<Duration> WARM_UP_TIMEOUT =
      Setting.duration("warm-up.timeout", Duration.ofMillis(1))
          .withDefault(Duration.ofSeconds(10))
          .means("the longest one replica's warm-up may take before it is given up on");

  /** {@code models[].name}. */
  public static final Setting<String> MODEL_NAME =
      Setting.name("models[].name").required().means("a model with degradation settings");

  /** {@code models[].fallback-model}. */
  public static final Setting<String> MODEL_FALLBACK =
      Setting.name("models[].fallback-model").means("model to run when no region can run this one");

  /** {@code models[].default-response}. */
  public static final Setting<List<Tensor>> MODEL_DEFAULT_RESPONSE =
      Setting.of(
              "models[].default-response",
              "a list of tensors",
              (node, leaf) -> {
                List<Tensor> outputs = new ArrayList<>();
                for (ConfigNode tensor : node.children(leaf)) {
                  outputs.add(TensorConfig.parse(tensor));
                }
                return outputs;
              })
          .means(
              "output tensors (`name`, `datatype`, `shape`, `values`) returned when nothing can"
                  + " answer");

  /** The gateway's file. */
  public static final ConfigSchema SCHEMA =
      new ConfigSchema(
          "gateway",
          Setting.all(
              List.of(REGION, REGIONS),
              LISTEN.all(),
              List.of(LISTEN_CLIENT_AUTH, LISTEN_REFLECTION),
              METRICS.all(),
              List.of(
                  LEGACY_METRICS_PORT,
                  LAST_KNOWN_GOOD_FILE,
                  DEFAULT_TIMEOUT,
                  DRAIN_PERIOD,
                  LOAD_REPORT_INTERVAL),
              LIMITS.all(),
              List.of(
                  WARM_UP_REQUESTS,
                  WARM_UP_TIMEOUT,
                  MODEL_NAME,
                  MODEL_FALLBACK,
                  MODEL_DEFAULT_RESPONSE),
              PolicyConfig.SETTINGS,
              ConsulConfig.SETTINGS,
              TlsSettings.SETTINGS,
              TracingSettings.SETTINGS));

  private GatewaySettings() {}
}
