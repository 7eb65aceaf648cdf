package dev.meridian.deploy;

import dev.meridian.core.config.ConfigException;
import dev.meridian.core.logging.ProcessLogging;
import dev.meridian.registry.RegistryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code meridian} command: one entry point for every role of the system. */
@Command(
    name = "meridian",
    mixinStandardHelpOptions = true,
    // Every subcommand gets --help and --version too.
    scope = CommandLine.ScopeType.INHERIT,
    version = "meridian 0.1.0",
    description = "Meridian, a gRPC multi-region inference gateway.",
    subcommands = {
      DemoCommand.class,
      PredictCommand.class,
      GatewayCommand.class,
      RegionAgentCommand.class,
      ControllerCommand.class,
      DrainCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      OperatorsCommand.class,
      AuditCommand.class,
      DevConsulCommand.class,
      BenchCommand.class,
      ConfigReferenceCommand.class,
      StatusCommand.class,
      GamedayCommand.class,
    })
public final class MeridianCommand implements Runnable {
  /** Exit code for a command that could not do its work (Consul failed, a write was lost). */
  static final int EXIT_FAILED = 1;

  /** Exit code for a bad option or configuration value. */
  static final int EXIT_USAGE = 2;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Runs the command line and exits with its status; every role logs JSON lines on stderr. */
  public static void main(String[] args) {
    ProcessLogging.install();
    CommandLine commandLine = commandLine();
    int exitCode = commandLine.execute(args);
    // picocli's writers flush on println only; System.exit would drop a final print().
    commandLine.getOut().flush();
    commandLine.getErr().flush();
    System.exit(exitCode);
  }

  /**
   * Builds the command line, with bad options and configuration errors reported as usage errors
   * (the message, which names the offending key, and exit code 2) and work that could not be done
   * ({@link IllegalStateException}: a fault not injected, a topology not started; {@link
   * RegistryException}: Consul unreachable or refusing) as its message and exit code 1; neither
   * with a stack trace.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new MeridianCommand())
        .setExecutionExceptionHandler(
            (exception, commandLine, parseResult) -> {
              if (exception instanceof IllegalArgumentException
                  || exception instanceof ConfigException) {
                commandLine
                    .getErr()
                    .println(commandLine.getCommandName() + ": " + exception.getMessage());
                return EXIT_USAGE;
              }
              if (exception instanceof IllegalStateException
                  || exception instanceof RegistryException) {
                commandLine
                    .getErr()
                    .println(commandLine.getCommandName() + " failed: " + exception.getMessage());
                return EXIT_FAILED;
              }
              throw exception;
            });
  }
}
