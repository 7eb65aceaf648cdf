package dev.meridian.deploy;

import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.model.LinearModelLoader;
import dev.meridian.agent.model.Model;
import dev.meridian.agent.model.ModelLoadException;
import dev.meridian.agent.replica.ReplicaServer;
import dev.meridian.gateway.GatewayConfig;
import dev.meridian.gateway.GatewayServer;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts a local topology on this machine: several regions, each with an agent running replicas of
 * the demo model, and a gateway in front of them, until interrupted.
 */
@Command(
    name = "demo",
    description = "Run a local multi-region topology serving Predict until interrupted.")
final class DemoCommand implements Callable<Integer> {
  static final String DEMO_MODEL = "/models/fraud-score.json";

  @Option(
      names = "--gateway-port",
      defaultValue = "50051",
      description = "Port of the gateway (default: ${DEFAULT-VALUE}).")
  int gatewayPort;

  @Option(
      names = "--regions",
      split = ",",
      defaultValue = "eu-west,us-east",
      description = "Regions to run; the first is the gateway's own (default: ${DEFAULT-VALUE}).")
  List<String> regions;

  @Option(
      names = "--replicas",
      defaultValue = "2",
      description = "Replicas per region (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Override
  public Integer call() throws Exception {
    Topology topology = start();
    System.out.println(topology.describe());
    System.out.flush();
    ServeUntilStopped.serve(List.of(topology));
    return 0;
  }

  /** Starts the topology; on failure stops whatever had started. */
  Topology start() throws ModelLoadException {
    if (regions.size() < 2 || regions.stream().distinct().count() != regions.size()) {
      throw new IllegalArgumentException(
          "--regions: " + regions + " (expected: at least two distinct regions)");
    }
    Model model = loadDemoModel();
    List<RegionAgent> agents = new ArrayList<>();
    try {
      GatewayConfig.Builder gateway =
          GatewayConfig.builder().port(gatewayPort).region(regions.get(0)).model(model.name());
      for (String region : regions) {
        RegionAgent agent = RegionAgent.start(region, List.of(model), replicas, 0, 64);
        agents.add(agent);
        gateway.upstream(region, addresses(agent));
      }
      return new Topology(agents, GatewayServer.start(gateway.build()), model.name());
    } catch (RuntimeException e) {
      ServeUntilStopped.closeAll(agents);
      throw e;
    }
  }

  private static Model loadDemoModel() throws ModelLoadException {
    try (Reader reader =
        new InputStreamReader(
            DemoCommand.class.getResourceAsStream(DEMO_MODEL), StandardCharsets.UTF_8)) {
      return LinearModelLoader.parse(reader, "classpath:" + DEMO_MODEL);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<InetSocketAddress> addresses(RegionAgent agent) {
    return agent.replicas().stream()
        .map(replica -> new InetSocketAddress("127.0.0.1", replica.port()))
        .toList();
  }

  /** A running demo topology. */
  record Topology(List<RegionAgent> agents, GatewayServer gateway, String model)
      implements AutoCloseable {
    /** Stops the gateway first, so no call is sent to a replica that is already gone. */
    @Override
    public void close() {
      gateway.close();
      ServeUntilStopped.closeAll(agents);
    }

    String describe() {
      StringBuilder text = new StringBuilder("Meridian demo is up.\n");
      for (RegionAgent agent : agents) {
        text.append("  region ").append(agent.region()).append(": model ").append(model);
        for (ReplicaServer replica : agent.replicas()) {
          text.append(", ")
              .append(replica.identity().replicaId())
              .append(" at 127.0.0.1:")
              .append(replica.port());
        }
        text.append('\n');
      }
      text.append("  gateway (home region ")
          .append(agents.get(0).region())
          .append("): 127.0.0.1:")
          .append(gateway.port())
          .append("\nCall it from another terminal:\n  ./meridian predict --target 127.0.0.1:")
          .append(gateway.port())
          .append(" --model ")
          .append(model)
          .append(" --input features=0.5,1.2,0.3,2\nPress Ctrl-C to stop.");
      return text.toString();
    }
  }
}
