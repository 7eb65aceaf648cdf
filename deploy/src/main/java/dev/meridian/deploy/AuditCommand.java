package dev.meridian.deploy;

import dev.meridian.controller.admin.AuditChain;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code meridian audit}: works with the failover controller's audit log. */
@Command(
    name = "audit",
    description = "Work with the failover controller's audit log.",
    subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /**
   * {@code meridian audit verify}: checks the hash chain of an audit log, its rotated files
   * included, and exits 0 when it is intact, 1 naming the file and line where it breaks.
   */
  @Command(
      name = "verify",
      description =
          "Check the hash chain of an audit log (its rotated files too) or of every log in a"
              + " directory; exit 0 when intact, 1 at the first line that breaks it.")
  static final class Verify implements Callable<Integer> {
    /** Exit code for a broken chain. */
    static final int EXIT_BROKEN = 1;

    @Parameters(paramLabel = "<file-or-dir>", description = "The live audit file, or a directory.")
    Path path;

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      AuditChain.Report report;
      try {
        report = AuditChain.verify(path);
      } catch (IOException e) {
        spec.commandLine().getErr().println("audit verify: " + e.getMessage());
        return MeridianCommand.EXIT_USAGE;
      }
      if (report.broken().isPresent()) {
        spec.commandLine().getErr().println("audit verify: broken: " + report.broken().get());
        return EXIT_BROKEN;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("intact: " + report.lines() + " lines in " + report.files().size() + " file(s)");
      report.files().forEach(file -> out.println("  " + file));
      return 0;
    }
  }
}
