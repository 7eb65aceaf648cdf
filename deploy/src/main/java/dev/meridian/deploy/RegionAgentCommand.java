package dev.meridian.deploy;

import dev.meridian.agent.SupervisedRegionAgent;
import dev.meridian.agent.config.AgentConfig;
import dev.meridian.agent.config.AgentConfigLoader;
import dev.meridian.core.Ticker;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a region agent from its config file until SIGTERM or Ctrl-C. */
@Command(
    name = "region-agent",
    description =
        "Run a region's supervised model replicas, registered and probed in Consul, until"
            + " stopped.")
final class RegionAgentCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      required = true,
      description = "The agent's YAML config file (see agent-example.yaml).")
  Path config;

  @Override
  public Integer call() throws Exception {
    AgentConfig agentConfig = AgentConfigLoader.load(config);
    SupervisedRegionAgent agent = SupervisedRegionAgent.start(agentConfig, Ticker.SYSTEM);
    System.out.println(
        "region agent for "
            + agent.region()
            + ": "
            + agent.replicas().size()
            + " replicas starting; metrics on http://"
            + agent.metricsAddress()
            + "/metrics");
    System.out.flush();
    ServeUntilStopped.serve(List.of(agent));
    return 0;
  }
}
