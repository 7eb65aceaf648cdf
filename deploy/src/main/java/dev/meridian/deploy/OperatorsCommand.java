package dev.meridian.deploy;

import dev.meridian.controller.admin.TokenHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code meridian operators}: helps write the failover controller's operators file. */
@Command(
    name = "operators",
    description = "Help with the failover controller's operators file.",
    subcommands = {OperatorsCommand.HashToken.class})
final class OperatorsCommand implements Runnable {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /**
   * {@code meridian operators hash-token}: reads a token from standard input (its first line, so
   * that it never shows in a process list or shell history) and prints its {@code token-hash}.
   */
  @Command(
      name = "hash-token",
      description =
          "Read a bearer token from standard input (first line) and print the token-hash entry"
              + " of the operators file for it.")
  static final class HashToken implements Callable<Integer> {
    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      String line =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isBlank()) {
        spec.commandLine().getErr().println("hash-token: no token on standard input");
        return MeridianCommand.EXIT_USAGE;
      }
      spec.commandLine().getOut().println(TokenHash.of(line.trim()));
      return 0;
    }
  }
}
