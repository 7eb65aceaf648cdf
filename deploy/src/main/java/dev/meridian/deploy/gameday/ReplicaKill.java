package dev.meridian.deploy.gameday;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every replica process of a model in a region SIGKILLed at once, as a crash or an OOM kill would,
 * on this machine (the local demo: processes found by the replica spec on their command line, from
 * {@code /proc}); healed by the region's agent, which starts replacements — the game day waits for
 * them.
 */
public final class ReplicaKill implements Fault {
  private static final Duration REPLACEMENT_LIMIT = Duration.ofMinutes(2);

  private final String region;
  private final String model;
  private List<ProcessHandle> killed = List.of();

  /** Kills the replicas of {@code model} in {@code region}. */
  public ReplicaKill(String region, String model) {
    this.region = region;
    this.model = model;
  }

  @Override
  public String describe() {
    return "SIGKILL every " + model + " replica process of " + region;
  }

  @Override
  public Target target() {
    return new Target(region);
  }

  @Override
  public void inject() {
    killed = replicas();
    if (killed.isEmpty()) {
      throw new IllegalStateException(
          "no " + model + " replica process of " + region + " runs on this machine");
    }
    killed.forEach(ProcessHandle::destroyForcibly);
  }

  /** Waits until the agent runs as many replicas as before, none of them those killed. */
  @Override
  public void heal() throws Exception {
    Poll.until(
        "replacements for the " + killed.size() + " killed replicas",
        REPLACEMENT_LIMIT,
        () -> {
          List<ProcessHandle> now = replicas();
          return now.size() >= killed.size() && now.stream().noneMatch(killed::contains);
        });
  }

  /** The replica processes of the model and region running now. */
  private List<ProcessHandle> replicas() {
    return ReplicaProcesses.among(
        ProcessHandle.allProcesses(), Map.of("region", region, "modelName", model));
  }
}
