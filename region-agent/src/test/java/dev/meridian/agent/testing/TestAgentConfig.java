package dev.meridian.agent.testing;

import dev.meridian.agent.config.AgentConfig;
import dev.meridian.agent.config.AgentConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an agent config file with fast probes and restarts into a test's directory, together with
 * the model files it names, and loads it as the agent would.
 */
public final class TestAgentConfig {
  /** A built-in model {@code adder} (see {@link TestModels#adder()}). */
  public static final String ADDER_JSON =
      "{\"name\": \"adder\", \"version\": \"1\", \"input\": \"features\", \"output\": \"sum\","
          + " \"weights\": [[1, 2]], \"bias\": [1]}";

  /** A built-in fallback for {@code adder}: same input, always answers 0. */
  public static final String ADDER_FALLBACK_JSON =
      "{\"name\": \"adder-fallback\", \"version\": \"7\", \"input\": \"features\","
          + " \"output\": \"sum\", \"weights\": [[0, 0]], \"bias\": [0]}";

  private final Path dir;
  private final int consulPort;
  private String mode = "in-process";
  private boolean faults;
  private String restart = "{initial-backoff: 50ms, max-backoff: 200ms}";
  private String model = "{name: adder, type: builtin, path: adder.json}";
  private String replicaAddress = "";

  /** Starts a config in {@code dir} for the dev Consul on {@code consulPort}. */
  public TestAgentConfig(Path dir, int consulPort) {
    this.dir = dir;
    this.consulPort = consulPort;
    write("adder.json", ADDER_JSON);
    write("adder-fallback.json", ADDER_FALLBACK_JSON);
  }

  /** Runs replicas as child processes. */
  public TestAgentConfig processes() {
    this.mode = "process";
    return this;
  }

  /** Enables fault injection, with {@link FaultsClient#TOKEN} as its admin token. */
  public TestAgentConfig faults() {
    write("faults-token", FaultsClient.TOKEN + "\n");
    this.faults = true;
    return this;
  }

  /** Replaces the {@code restart} mapping, in YAML flow style. */
  public TestAgentConfig restart(String flowMapping) {
    this.restart = flowMapping;
    return this;
  }

  /**
   * Sets {@code replicas.host} and, unless null, {@code replicas.advertise-host}: where the
   * replicas bind, and the address registered for them.
   */
  public TestAgentConfig replicas(String host, String advertiseHost) {
    this.replicaAddress =
        ", host: '"
            + host
            + "'"
            + (advertiseHost == null ? "" : ", advertise-host: " + advertiseHost);
    return this;
  }

  /** Replaces the one model entry, in YAML flow style. */
  public TestAgentConfig model(String flowMapping) {
    this.model = flowMapping;
    return this;
  }

  /** Writes a file into the config's directory. */
  public Path write(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the config file and loads it. */
  public AgentConfig load() {
    String yaml =
        String.join(
            "\n",
            "region: " + ConsulHarness.REGION,
            "consul: {port: " + consulPort + "}",
            "probe: {interval: 100ms, jitter: 20ms, timeout: 2s, successes-before-passing: 2,"
                + " failures-before-critical: 2}",
            "restart: " + restart,
            "replicas: {mode: " + mode + ", drain-timeout: 5s" + replicaAddress + "}",
            "metrics: {port: 0}",
            faults ? "faults: {enabled: true, token-file: faults-token}" : "",
            "models:",
            "  - " + model,
            "");
    return AgentConfigLoader.load(write("agent.yaml", yaml));
  }
}
