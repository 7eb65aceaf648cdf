package dev.meridian.deploy;

import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.model.LinearModelLoader;
import dev.meridian.agent.model.Model;
import dev.meridian.agent.model.ModelLoadException;
import dev.meridian.agent.replica.ReplicaServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a region agent with replicas of the given model files. */
@Command(name = "region-agent", description = "Run a region's model replicas until interrupted.")
final class RegionAgentCommand implements Callable<Integer> {
  @Option(names = "--region", required = true, description = "The region, e.g. eu-west.")
  String region;

  @Option(
      names = "--model-file",
      required = true,
      description = "A built-in model's JSON file; repeat for several models.")
  List<Path> modelFiles;

  @Option(
      names = "--replicas",
      defaultValue = "2",
      description = "Replicas to run (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(
      names = "--base-port",
      defaultValue = "0",
      description = "First replica port, the others follow; 0 picks free ports (default: 0).")
  int basePort;

  @Option(
      names = "--max-concurrent-calls",
      defaultValue = "64",
      description = "Calls one replica runs at once (default: ${DEFAULT-VALUE}).")
  int maxConcurrentCalls;

  @Override
  public Integer call() throws InterruptedException {
    List<Model> models = new ArrayList<>();
    for (Path file : modelFiles) {
      try {
        models.add(LinearModelLoader.load(file));
      } catch (ModelLoadException e) {
        throw new IllegalArgumentException("--model-file " + e.getMessage(), e);
      }
    }
    RegionAgent agent = RegionAgent.start(region, models, replicas, basePort, maxConcurrentCalls);
    for (ReplicaServer replica : agent.replicas()) {
      System.out.println(
          "replica "
              + replica.identity().replicaId()
              + " listening on 127.0.0.1:"
              + replica.port());
    }
    ServeUntilStopped.serve(List.of(agent));
    return 0;
  }
}
