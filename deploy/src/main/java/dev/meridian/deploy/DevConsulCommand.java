package dev.meridian.deploy;

import dev.meridian.devconsul.DevConsul;
import dev.meridian.devconsul.DevConsulConfig;
import dev.meridian.registry.ConsulConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the embedded development Consul: one HTTP agent port per datacenter, speaking the subset of
 * Consul's API that Meridian uses. For laptops and tests, not for production.
 */
@Command(
    name = "dev-consul",
    description =
        "Run the embedded development Consul (one port per datacenter) until interrupted. "
            + "A development and test server, not a production Consul.")
final class DevConsulCommand implements Callable<Integer> {
  /** The environment variable holding the ACL token, so it never shows in a process list. */
  static final String TOKEN_VARIABLE = ConsulConfig.DEFAULT_TOKEN_ENV;

  @Option(
      names = "--datacenters",
      split = ",",
      defaultValue = "eu-west,us-east",
      description = "Datacenters, one per region (default: ${DEFAULT-VALUE}).")
  List<String> datacenters;

  @Option(
      names = "--port",
      defaultValue = "8500",
      description = "Port of the first datacenter; the others follow (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--snapshot", description = "Keep state in this JSON file across restarts.")
  Path snapshot;

  @Override
  public Integer call() throws InterruptedException {
    DevConsulConfig.Builder config =
        DevConsulConfig.builder().datacenters(datacenters).basePort(port);
    String token = System.getenv(TOKEN_VARIABLE);
    if (token != null && !token.isBlank()) {
      config.aclToken(token);
    }
    if (snapshot != null) {
      config.snapshotFile(snapshot);
    }
    DevConsul consul = new DevConsul(config.build()).start();
    for (String datacenter : consul.datacenters()) {
      System.out.println("datacenter " + datacenter + ": " + consul.uri(datacenter));
    }
    System.out.println(
        "dev Consul is up (development and test server, not a production Consul)"
            + (token == null || token.isBlank() ? "" : "; ACL token required"));
    System.out.flush();
    ServeUntilStopped.serve(List.of(consul));
    return 0;
  }
}
