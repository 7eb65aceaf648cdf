package dev.meridian.deploy.e2e;

import dev.meridian.deploy.MeridianCommand;
import dev.meridian.deploy.topology.TopologyCertificates;
import dev.meridian.deploy.topology.TopologyPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The {@code meridian} command as an operator runs it against the topology, in this process through
 * its command line: every run talks to the home region's HTTPS Consul with the topology's CA.
 */
final class MeridianCli {
  /**
   * What a run printed and how it ended.
   *
   * @param exit its exit code
   * @param out what it printed on stdout
   * @param err what it printed on stderr
   */
  record Result(int exit, String out, String err) {}

  private final List<String> consulOptions;

  MeridianCli(TopologyPlan plan) {
    String region = plan.homeRegion();
    this.consulOptions =
        List.of(
            "--consul",
            plan.consulHost(region) + ":" + plan.consulPort(region),
            "--consul-https",
            "--consul-ca-file",
            TopologyCertificates.authority(plan).toAbsolutePath().toString());
  }

  /** Runs {@code meridian arguments...} with the topology's Consul; echoes what it printed. */
  Result run(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = MeridianCommand.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    String[] withConsul =
        Stream.concat(Stream.of(arguments), consulOptions.stream()).toArray(String[]::new);
    int exit = command.execute(withConsul);
    System.out.print(out);
    System.out.print(err);
    return new Result(exit, out.toString(), err.toString());
  }

  /**
   * Runs {@code meridian arguments...} as {@link #run} does; returns what it printed on stdout.
   *
   * @throws IllegalStateException when it exits with anything but 0
   */
  String succeed(String... arguments) {
    Result result = run(arguments);
    if (result.exit() != 0) {
      throw new IllegalStateException(
          "meridian " + String.join(" ", arguments) + " exited " + result.exit() + ": " + result);
    }
    return result.out();
  }
}
