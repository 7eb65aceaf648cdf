package dev.meridian.deploy;

import dev.meridian.controller.admin.Role;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.deploy.gameday.Fault;
import dev.meridian.deploy.gameday.GamedayReport;
import dev.meridian.deploy.gameday.InjectedReplicaFaults;
import dev.meridian.deploy.gameday.RegionDrain;
import dev.meridian.deploy.gameday.ReplicaKill;
import dev.meridian.deploy.gameday.ScenarioRunner;
import dev.meridian.deploy.topology.TopologyPlan;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.registry.ConsulRegistry;
import io.grpc.Metadata;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs a named fault scenario against a running topology (the local demo, or a deployment through
 * the replicas' fault-injection service and the admin RPC) under open-loop load through the
 * gateway, and reports what callers saw against the objectives: the same runner and figures as the
 * end-to-end fault tests.
 */
@Command(
    name = "gameday",
    description =
        "Inject a named fault into a running topology under load and report what callers saw"
            + " against the objectives (availability 99.9%%, p99 < 200 ms, errors < 0.1%%,"
            + " recovery < 5 min); exit code 0 only when every objective is met.")
final class GamedayCommand implements Callable<Integer> {
  /** Exit code for a game day that ran and missed an objective. */
  static final int EXIT_MISSED = 3;

  private static final Path DEMO_GATEWAY_CONFIG =
      TopologyPlan.gatewayConfig(Path.of(DemoCommand.DEFAULT_DIRECTORY));
  private static final Path DEMO_FAULTS_TOKEN =
      TopologyPlan.faultsTokenFile(Path.of(DemoCommand.DEFAULT_DIRECTORY));

  /** How late slowed replicas answer: past any attempt's timeout. */
  private static final Duration SLOW = Duration.ofSeconds(2);

  /** The faults a game day can inject. */
  enum Scenario {
    /** Every replica of the model in the region SIGKILLed; the agent replaces them. */
    KILL_REPLICAS,
    /** Every replica of the model in the region answers UNAVAILABLE. */
    FAIL_REPLICAS,
    /** Every replica of the model in the region answers 2 s late, past any attempt's timeout. */
    SLOW_REPLICAS,
    /** The region drained by an operator, then undrained. */
    DRAIN;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  @Option(
      names = "--scenario",
      required = true,
      converter = ScenarioConverter.class,
      description =
          "kill-replicas (this machine's processes only), fail-replicas, slow-replicas (both"
              + " through the replicas' FaultInjection: a demo started with --faults) or drain"
              + " (the admin RPC).")
  Scenario scenario;

  @Option(
      names = "--region",
      defaultValue = "eu-west",
      description = "The region to break (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(
      names = "--model",
      defaultValue = "fraud-score",
      description =
          "The model the load calls and the replicas broken serve (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--input",
      defaultValue = "features=0.5,1.2,0.3,2",
      description = "An input tensor of each call, as for predict (default: ${DEFAULT-VALUE}).")
  List<String> inputs;

  @Option(
      names = "--gateway",
      defaultValue = ListenAddress.DEFAULT_HOST + ":50051",
      description = "The gateway the load goes through (default: ${DEFAULT-VALUE}).")
  String gateway;

  @Option(
      names = "--rate",
      defaultValue = "200",
      description = "Calls per second, each with a 1 s deadline (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--hold",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How long the fault stays before it is healed (default: ${DEFAULT-VALUE}).")
  Duration hold;

  @Option(
      names = "--faults-token-file",
      paramLabel = "<file>",
      description =
          "The replicas' fault-injection token, for fail-replicas and slow-replicas (default: the"
              + " demo's, "
              + DemoCommand.DEFAULT_DIRECTORY
              + "/faults-token).")
  Path faultsTokenFile;

  @Option(names = "--json", description = "Print the report as JSON instead of text.")
  boolean json;

  @Mixin AdminAccess admin;
  @Mixin ConsulOptions consul;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (rate <= 0 || rate > 10_000) {
      throw new IllegalArgumentException("--rate: " + rate + " (expected: 1..10000)");
    }
    if (hold.isNegative() || hold.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("--hold: " + hold + " (expected: 0s..5m)");
    }
    PredictRequest.Builder request = PredictRequest.newBuilder().setModelName(model);
    inputs.forEach(input -> request.addInputs(TensorArgument.parse(input)));
    PrintWriter err = spec.commandLine().getErr();
    TransportSecurity security = admin.tls.security();
    try (ConsulRegistry registry =
        new ConsulRegistry(consul.configOr(DEMO_GATEWAY_CONFIG, System::getenv))) {
      Fault fault = fault(registry, security, err);
      err.println("game day " + scenario + ": " + fault.describe() + ", " + rate + " calls/s");
      ScenarioRunner.Run run =
          new ScenarioRunner(
                  () -> Endpoints.channel("--gateway", gateway, security, TlsPeer.GATEWAY),
                  request.build())
              .at(rate)
              .faultFor(hold, fault.target(), fault::inject, fault::heal);
      GamedayReport report = GamedayReport.of(scenario.toString(), fault, run);
      spec.commandLine().getOut().print(json ? report.json() : report.text());
      return report.passed() ? 0 : EXIT_MISSED;
    } finally {
      security.close();
    }
  }

  private Fault fault(ConsulRegistry registry, TransportSecurity security, PrintWriter err) {
    return switch (scenario) {
      case KILL_REPLICAS -> new ReplicaKill(region, model);
      case FAIL_REPLICAS ->
          InjectedReplicaFaults.failing(
              registry.services(), region, model, security, faultsToken());
      case SLOW_REPLICAS ->
          InjectedReplicaFaults.slowed(
              registry.services(), region, model, security, faultsToken(), SLOW);
      case DRAIN ->
          new RegionDrain(
              region,
              work -> {
                int code = admin.call("gameday", Role.OPERATOR, err, work::accept);
                if (code != 0) {
                  throw new IllegalStateException(
                      "the drain's admin call failed (the line above says why)");
                }
              });
    };
  }

  private Metadata faultsToken() {
    Path file = faultsTokenFile == null ? DEMO_FAULTS_TOKEN : faultsTokenFile;
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(
          "--faults-token-file: "
              + file
              + " does not exist (start the demo with --faults, or name the replicas' token)");
    }
    return InjectedReplicaFaults.bearer(file);
  }

  /** Reads {@code kill-replicas} and the other names as {@link Scenario}s. */
  static final class ScenarioConverter implements CommandLine.ITypeConverter<Scenario> {
    @Override
    public Scenario convert(String value) {
      for (Scenario scenario : Scenario.values()) {
        if (scenario.toString().equals(value)) {
          return scenario;
        }
      }
      throw new CommandLine.TypeConversionException(
          "'" + value + "' (expected one of: kill-replicas, fail-replicas, slow-replicas, drain)");
    }
  }
}
