package dev.meridian.agent.config;

import dev.meridian.agent.model.ModelType;
import dev.meridian.core.config.ConfigSchema;
import dev.meridian.core.config.ListenerSettings;
import dev.meridian.core.config.Setting;
import dev.meridian.core.server.ServerLimitSettings;
import dev.meridian.core.server.ServerLimits;
import dev.meridian.core.tls.TlsSettings;
import dev.meridian.core.tracing.TracingSettings;
import dev.meridian.registry.ConsulConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every key of the region agent's config file, each stated once with its type, accepted values,
 * default and meaning: {@link AgentConfigLoader} reads through them, the config records check
 * values built in code through them, and the README's reference table is generated from {@link
 * #SCHEMA}. Rules that span keys are stated once, in the record that holds the keys ({@link
 * AgentConfig}, {@link ProbeConfig}, {@link RestartConfig}).
 */
public final class AgentSettings {
  /** The shortest probe timeout or restart backoff: below it only scheduling noise is measured. */
  private static final Duration MIN_TIMING = Duration.ofMillis(10);

  /**
   * Consul applies at least a minute whatever is asked; accepting less would promise what it does
   * not do.
   */
  private static final Duration MIN_DEREGISTER = Duration.ofMinutes(1);

  /** Without a configured {@code probe.jitter}, it is the interval divided by this. */
  static final int JITTER_DIVISOR = 5;

  private AgentSettings() {}

  /** {@code region}. */
  public static final Setting<String> REGION =
      Setting.name("region")
          .required()
          .means("the region = Consul datacenter replicas register in");

  /** {@code registration.ttl}. */
  public static final Setting<Duration> TTL =
      Setting.duration("registration.ttl", Duration.ofSeconds(1))
          .withDefault(Duration.ofSeconds(10))
          .means("a check not refreshed within this goes critical");

  /** {@code registration.deregister-critical-after}. */
  public static final Setting<Duration> DEREGISTER_CRITICAL_AFTER =
      Setting.duration("registration.deregister-critical-after", MIN_DEREGISTER)
          .withDefault(MIN_DEREGISTER)
          .means("Consul removes a replica critical this long");

  /** {@code probe.interval}. */
  public static final Setting<Duration> PROBE_INTERVAL =
      Setting.duration("probe.interval", Duration.ofMillis(50))
          .withDefault(Duration.ofSeconds(1))
          .means(
              "canary inference per replica this often (`Predict`; `ModelReady` and `ModelInfer`"
                  + " for `type: oip`); interval + jitter + timeout must be < `registration.ttl`");

  /** {@code probe.jitter}, at most the interval. */
  public static final Setting<Duration> PROBE_JITTER =
      Setting.duration("probe.jitter", Duration.ZERO)
          .derivedWhenAbsent("`probe.interval` / " + JITTER_DIVISOR)
          .means("up to this much added at random to each interval; at most the interval");

  /** {@code probe.timeout}. */
  public static final Setting<Duration> PROBE_TIMEOUT =
      Setting.duration("probe.timeout", MIN_TIMING)
          .withDefault(Duration.ofMillis(500))
          .means("a probe not answered by then fails");

  /** {@code probe.successes-before-passing}. */
  public static final Setting<Integer> SUCCESSES_BEFORE_PASSING =
      Setting.integer("probe.successes-before-passing", 1, 100)
          .withDefault(2)
          .means("flap damping: good probes in a row to leave critical");

  /** {@code probe.failures-before-critical}. */
  public static final Setting<Integer> FAILURES_BEFORE_CRITICAL =
      Setting.integer("probe.failures-before-critical", 1, 100)
          .withDefault(3)
          .means("flap damping: failed probes in a row to go critical");

  /** {@code restart.initial-backoff}. */
  public static final Setting<Duration> INITIAL_BACKOFF =
      Setting.duration("restart.initial-backoff", MIN_TIMING)
          .withDefault(Duration.ofMillis(200))
          .means("delay before the first restart; doubles with each restart in a row");

  /** {@code restart.max-backoff}, at least the initial backoff. */
  public static final Setting<Duration> MAX_BACKOFF =
      Setting.duration("restart.max-backoff", MIN_TIMING)
          .withDefault(Duration.ofSeconds(10))
          .means("longest delay between restarts; at least `restart.initial-backoff`");

  /** {@code restart.crash-loop-restarts}. */
  public static final Setting<Integer> CRASH_LOOP_RESTARTS =
      Setting.integer("restart.crash-loop-restarts", 1, 1000)
          .withDefault(5)
          .means("this many restarts within the window: give up, critical");

  /** {@code restart.crash-loop-window}. */
  public static final Setting<Duration> CRASH_LOOP_WINDOW =
      Setting.duration("restart.crash-loop-window", Duration.ofSeconds(1))
          .withDefault(Duration.ofMinutes(1))
          .means("the window restarts are counted in");

  /** {@code replicas.mode}. */
  public static final Setting<ReplicaMode> MODE =
      oneOf("replicas.mode", List.of(ReplicaMode.values()), ReplicaMode::toString)
          .withDefault(ReplicaMode.PROCESS)
          .means("`process` (child JVMs) or `in-process` (tests)");

  /** {@code replicas.start-timeout}. */
  public static final Setting<Duration> START_TIMEOUT =
      Setting.duration("replicas.start-timeout", Duration.ofSeconds(1))
          .withDefault(Duration.ofSeconds(60))
          .means("time a replica may take to load, listen and warm up");

  /** {@code replicas.drain-timeout}. */
  public static final Setting<Duration> DRAIN_TIMEOUT =
      Setting.duration("replicas.drain-timeout", Duration.ZERO)
          .withDefault(Duration.ofSeconds(5))
          .means("time a stopping replica has to finish in-flight calls");

  /**
   * {@code replicas.host} and {@code replicas.advertise-host}: what every replica's gRPC and
   * metrics servers bind (their ports are always picked free), and the address registered in
   * Consul, which the gateway and the agent's own probes dial.
   */
  public static final ListenerSettings REPLICAS =
      ListenerSettings.withoutPort("replicas", "each replica");

  /** {@code replicas.reflection}. */
  public static final Setting<Boolean> REPLICA_REFLECTION =
      Setting.flag("replicas.reflection")
          .withDefault(false)
          .means(
              "gRPC server reflection and channelz on every replica's inference and"
                  + " fault-injection ports, for grpcurl and grpcdebug (fault injection still"
                  + " needs its token)");

  /**
   * {@code replicas.limits.*}: what each replica's gRPC server tolerates from its clients, the
   * gateways. A gateway multiplexes all its calls to a replica on one connection, keeps it open and
   * warm, and pings it every second to find a frozen replica quickly; so connections here never age
   * or idle out, keepalive pings every second are welcome, with or without calls, and the {@code
   * RST_STREAM} limit sits far above the cancellations of hedged and abandoned calls. The streams
   * limit is the largest {@link #MAX_CONCURRENT_CALLS}, so that the replica's own limit answers
   * first.
   */
  public static final ServerLimitSettings REPLICA_LIMITS =
      ServerLimitSettings.under(
          "replicas.limits",
          new ServerLimits(
              10_000,
              10_000,
              Duration.ofSeconds(1),
              Duration.ZERO,
              Duration.ofSeconds(30),
              Duration.ZERO,
              Duration.ofSeconds(1),
              true,
              Duration.ofSeconds(10),
              4 * 1024 * 1024,
              8 * 1024));

  /** {@code metrics.host}, {@code metrics.port} and {@code metrics.advertise-host}. */
  public static final ListenerSettings METRICS =
      ListenerSettings.of("metrics", 9464, "the agent's `/metrics`");

  /** {@code faults.enabled}. */
  public static final Setting<Boolean> FAULTS_ENABLED =
      Setting.flag("faults.enabled")
          .withDefault(false)
          .means(
              "serve FaultInjection (tests and game days) on a port of each replica's own, its"
                  + " Consul meta `faults`; never on the Predict port");

  /** {@code faults.token-file}, required with {@code faults.enabled}. */
  public static final Setting<String> FAULTS_TOKEN_FILE =
      Setting.text("faults.token-file")
          .derivedWhenAbsent("required with `faults.enabled`")
          .means(
              "file holding the admin token FaultInjection callers send as `authorization: Bearer"
                  + " <token>`; relative to this file");

  /** {@code models[].name}, distinct across the file. */
  public static final Setting<String> MODEL_NAME =
      Setting.name("models[].name")
          .required()
          .means("model name (the replicas' Consul tag); unique");

  /** {@code models[].version}. */
  public static final Setting<String> MODEL_VERSION =
      Setting.text("models[].version").withDefault("1").means("model version");

  /** {@code models[].type}. */
  public static final Setting<ModelType> MODEL_TYPE =
      oneOf(
              "models[].type",
              List.of(ModelType.values()),
              type -> type.name().toLowerCase(Locale.ROOT))
          .required()
          .means(
              "`builtin` (JSON) or `onnx`, served by the agent's replicas; or `oip`, an external"
                  + " Open Inference Protocol server (Triton, KServe, MLServer) run by `command` or"
                  + " attached at `address`");

  /** {@code models[].path}, which must name a readable file. */
  public static final Setting<String> MODEL_PATH =
      Setting.text("models[].path")
          .derivedWhenAbsent("required unless `type: oip`")
          .means("model file, relative to the config file");

  /** {@code models[].command}, for {@code type: oip}: the server's command line. */
  public static final Setting<List<String>> MODEL_COMMAND =
      Setting.texts("models[].command")
          .allowing(
              argv ->
                  !argv.isEmpty()
                      && argv.stream().noneMatch(String::isBlank)
                      && argv.stream().anyMatch(arg -> arg.contains(OipServer.PORT_PLACEHOLDER)),
              "a command line, a list of non-empty strings with `{port}` in one")
          .derivedWhenAbsent("with `type: oip`, this or `address`")
          .means(
              "`type: oip`: the server each replica runs, `{port}` and `{host}` replaced by its"
                  + " port and `replicas.host`; supervised like the agent's own replicas");

  /** {@code models[].address}, for {@code type: oip}: a server the agent attaches to. */
  public static final Setting<OipServer.Address> MODEL_ADDRESS =
      hostPort("models[].address")
          .derivedWhenAbsent("with `type: oip`, this or `command`")
          .means(
              "`type: oip`: a running server the agent registers and probes as its one replica,"
                  + " never starting or stopping it");

  /** {@code models[].fallback}, which must name a readable file if present. */
  public static final Setting<String> MODEL_FALLBACK =
      Setting.text("models[].fallback")
          .means(
              "built-in model loaded first; serves if the primary fails to load; not with `type:"
                  + " oip`");

  /** {@code models[].replicas}. */
  public static final Setting<Integer> MODEL_REPLICAS =
      Setting.integer("models[].replicas", 1, 64).withDefault(1).means("replicas of this model");

  /** {@code models[].max-concurrent-calls}. */
  public static final Setting<Integer> MAX_CONCURRENT_CALLS =
      Setting.integer("models[].max-concurrent-calls", 1, 10_000)
          .withDefault(64)
          .means("per replica; more get `RESOURCE_EXHAUSTED`");

  /** {@code models[].latency-objective}. */
  public static final Setting<Duration> LATENCY_OBJECTIVE =
      Setting.duration("models[].latency-objective", Duration.ofMillis(1))
          .withDefault(Duration.ofMillis(100))
          .means("probes slower than this report `warning`");

  /** {@code models[].memory-limit}. */
  public static final Setting<MemoryLimit> MEMORY_LIMIT = memoryLimit();

  /** {@code models[].warm-up.requests}. */
  public static final Setting<Integer> WARM_UP_REQUESTS =
      Setting.integer("models[].warm-up.requests", 0, 10_000)
          .withDefault(200)
          .means(
              "canary `Predict`s each replica sends through its own server before it is"
                  + " registered and probed, so first calls meet a warm JVM; `0` disables; not for"
                  + " `type: oip`");

  /** Every key of the agent's file, in the order the reference table lists them. */
  public static final ConfigSchema SCHEMA =
      new ConfigSchema(
          "agent",
          Setting.all(
              List.of(REGION),
              ConsulConfig.SETTINGS,
              List.of(
                  TTL,
                  DEREGISTER_CRITICAL_AFTER,
                  PROBE_INTERVAL,
                  PROBE_JITTER,
                  PROBE_TIMEOUT,
                  SUCCESSES_BEFORE_PASSING,
                  FAILURES_BEFORE_CRITICAL,
                  INITIAL_BACKOFF,
                  MAX_BACKOFF,
                  CRASH_LOOP_RESTARTS,
                  CRASH_LOOP_WINDOW,
                  MODE,
                  START_TIMEOUT,
                  DRAIN_TIMEOUT,
                  REPLICA_REFLECTION),
              REPLICAS.all(),
              REPLICA_LIMITS.all(),
              METRICS.all(),
              List.of(
                  FAULTS_ENABLED,
                  FAULTS_TOKEN_FILE,
                  MODEL_NAME,
                  MODEL_VERSION,
                  MODEL_TYPE,
                  MODEL_PATH,
                  MODEL_COMMAND,
                  MODEL_ADDRESS,
                  MODEL_FALLBACK,
                  MODEL_REPLICAS,
                  MAX_CONCURRENT_CALLS,
                  LATENCY_OBJECTIVE,
                  MEMORY_LIMIT,
                  WARM_UP_REQUESTS),
              FeatureSettings.ALL,
              TlsSettings.SETTINGS,
              TracingSettings.SETTINGS));

  /** A key whose value is one of {@code values}, written as {@code spelling} says, in any case. */
  private static <T> Setting<T> oneOf(String key, List<T> values, Function<T, String> spelling) {
    String expected = values.stream().map(spelling).collect(Collectors.joining(" or "));
    return Setting.of(
        key,
        expected,
        (node, leaf) -> {
          String text = node.string(leaf);
          return values.stream()
              .filter(value -> spelling.apply(value).equalsIgnoreCase(text))
              .findFirst()
              .orElseThrow(() -> node.invalid(leaf, text, expected));
        });
  }

  /** A key whose value is {@code host:port}. */
  static Setting<OipServer.Address> hostPort(String key) {
    return Setting.of(
        key,
        "host:port",
        (node, leaf) -> {
          String text = node.string(leaf);
          return OipServer.Address.parse(text)
              .orElseThrow(() -> node.invalid(leaf, text, "host:port"));
        });
  }

  private static Setting<MemoryLimit> memoryLimit() {
    String shape = "a heap size such as 512m or 2g";
    return Setting.of(
            "models[].memory-limit",
            shape,
            (node, leaf) -> {
              String text = node.string(leaf);
              return MemoryLimit.parse(text).orElseThrow(() -> node.invalid(leaf, text, shape));
            })
        .allowing(
            limit -> limit.bytes() >= MemoryLimit.MIN.bytes(),
            "a heap size of " + MemoryLimit.MIN + " or more, such as 512m or 2g")
        .withDefault(MemoryLimit.parse("512m").orElseThrow())
        .means("`-Xmx` of each replica process; not for `type: oip`");
  }
}
