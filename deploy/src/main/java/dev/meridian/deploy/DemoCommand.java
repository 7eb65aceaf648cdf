package dev.meridian.deploy;

import dev.meridian.controller.admin.Role;
import dev.meridian.core.tracing.TracingConfig;
import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.deploy.topology.Placement;
import dev.meridian.deploy.topology.TopologyPlan;
import dev.meridian.deploy.topology.net.LabPlacement;
import dev.meridian.deploy.topology.net.NetworkLab;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs Meridian on this machine, every role its own process: the dev Consul, a region agent per
 * region with its replica processes, failover controllers, and a gateway, until interrupted.
 */
@Command(
    name = "demo",
    description = "Run a local multi-region topology serving Predict until interrupted.")
final class DemoCommand implements Callable<Integer> {
  private static final String LAB_PREFIX = "mrddemo";

  @Option(
      names = "--regions",
      split = ",",
      defaultValue = "eu-west,us-east",
      description = "Regions to run; the first is the gateway's own (default: ${DEFAULT-VALUE}).")
  List<String> regions;

  @Option(
      names = "--replicas",
      defaultValue = "2",
      description = "Replicas of the demo model per region (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(
      names = "--replica-capacity",
      defaultValue = "" + TopologyPlan.DEFAULT_REPLICA_CAPACITY,
      description =
          "Calls each replica of the demo model runs at once; more are refused with"
              + " RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
  int replicaCapacity;

  @Option(
      names = "--controllers",
      defaultValue = "2",
      description = "Failover controllers; one leads (default: ${DEFAULT-VALUE}).")
  int controllers;

  @Option(
      names = "--gateway-port",
      defaultValue = "50051",
      description = "Port of the gateway (default: ${DEFAULT-VALUE}).")
  int gatewayPort;

  @Option(
      names = "--consul-port",
      defaultValue = "8500",
      description = "Dev Consul port of the first region; the others follow (default: 8500).")
  int consulPort;

  @Option(
      names = "--controller-port",
      defaultValue = "7400",
      description = "Admin port of the first controller; the others follow (default: 7400).")
  int controllerPort;

  /** Where the demo's files go unless {@code --dir} says otherwise. */
  static final String DEFAULT_DIRECTORY = "run/demo";

  @Option(
      names = "--metrics-port",
      defaultValue = "9460",
      description = "First metrics port; agents, controllers, gateway follow (default: 9460).")
  int metricsPort;

  @Option(
      names = "--dir",
      defaultValue = DEFAULT_DIRECTORY,
      description = "Where configs, logs and state go (default: ${DEFAULT-VALUE}).")
  Path directory;

  @Option(
      names = "--isolate-regions",
      description =
          "Run each region, its Consul datacenter, the controllers and the gateway in network"
              + " namespaces of their own, each with its own address (needs root, ip and"
              + " iptables).")
  boolean isolateRegions;

  @Option(
      names = "--faults",
      description =
          "Let the replicas serve FaultInjection on ports of their own (Consul meta `faults`), for"
              + " callers with the token the demo writes to <dir>/faults-token (default: off).")
  boolean faults;

  @Option(
      names = "--otlp-endpoint",
      paramLabel = "URL",
      description =
          "Record every call's spans in the gateway and the replicas and export them over"
              + " OTLP/HTTP to this collector, such as http://127.0.0.1:4318/v1/traces"
              + " (default: off).")
  URI otlpEndpoint;

  @Option(
      names = "--plaintext-data-path",
      description =
          "Carry Predict without TLS: the gateway's listener, its channels to the replicas and the"
              + " replicas' ports (Consul and the controllers keep TLS); for benchmarks against"
              + " plaintext proxies such as scripts/bench-overhead.sh (default: off).")
  boolean plaintextDataPath;

  @Override
  public Integer call() throws Exception {
    List<AutoCloseable> resources = new ArrayList<>();
    Placement placement = Placement.ONE_MACHINE;
    if (isolateRegions) {
      NetworkLab.Availability availability = NetworkLab.availability();
      if (!availability.available()) {
        throw new IllegalArgumentException(
            "--isolate-regions: network namespaces unavailable here: " + availability.reason());
      }
      NetworkLab lab = LabPlacement.labFor(LAB_PREFIX, regions);
      resources.add(lab);
      placement = new LabPlacement(lab);
    }
    TopologyPlan plan =
        new TopologyPlan(
            directory,
            regions,
            replicas,
            replicaCapacity,
            controllers,
            consulPort,
            controllerPort,
            gatewayPort,
            metricsPort,
            placement,
            faults,
            Optional.ofNullable(otlpEndpoint).map(endpoint -> new TracingConfig(endpoint, 1)),
            plaintextDataPath);
    System.out.println("Starting Meridian (this takes a few seconds; logs in " + plan.logs() + ")");
    LocalTopology topology;
    try {
      topology = LocalTopology.start(plan);
    } catch (Exception e) {
      ServeUntilStopped.closeAll(resources);
      throw e;
    }
    resources.add(topology);
    System.out.println(topology.describe());
    System.out.println(
        "Call it from another terminal:\n  ./meridian predict --target "
            + plan.gatewayAddress()
            + " --model fraud-score --input features=0.5,1.2,0.3,2"
            + (plaintextDataPath ? " --plaintext" : "")
            + "\n"
            + "or by a card whose features the region's store holds (demo cards c-1001..c-1004,"
            + " c-2001 stale, c-3001 partial):\n  ./meridian predict --target "
            + plan.gatewayAddress()
            + " --model fraud-score --input card_id:BYTES[1]=c-1001"
            + (plaintextDataPath ? " --plaintext" : "")
            + "\n"
            + "Drain a region through the leading controller (as demo-operator, whose token is in "
            + plan.tokenFile(Role.OPERATOR)
            + "; --token-file "
            + plan.tokenFile(Role.ADMIN)
            + " for a forced drain; asked of a standby, the command asks the leader it names):\n"
            + "  ./meridian drain --target "
            + plan.controlHost()
            + ":"
            + controllerPort
            + " --region "
            + regions.get(regions.size() - 1)
            + " --reason test"
            // drain finds the demo operator's token by itself only under the default directory.
            + (directory.equals(Path.of(DEFAULT_DIRECTORY))
                ? ""
                : " --token-file " + plan.tokenFile(Role.OPERATOR))
            + "\nPress Ctrl-C to stop.");
    System.out.flush();
    ServeUntilStopped.serve(resources);
    return 0;
  }
}
