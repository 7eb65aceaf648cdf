package dev.meridian.deploy.topology.net;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs one short external command ({@code ip}, {@code iptables}) to completion: no shell, standard
 * input from {@code /dev/null}, standard output and error captured together, a time limit after
 * which the command is killed. A failure names the command line and carries its output.
 */
final class ExternalCommand {
  /** Where root's tools live; a non-root {@code PATH} often lacks them. */
  private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/sbin", "/sbin", "/usr/bin");

  private ExternalCommand() {}

  /** What a finished command did. */
  record Result(List<String> argv, int exitCode, String output) {
    boolean succeeded() {
      return exitCode == 0;
    }

    /** This result, or a {@link CommandFailedException} if the command exited non-zero. */
    Result requireSuccess() {
      if (!succeeded()) {
        throw new CommandFailedException(
            "`" + commandLine(argv) + "` exited " + exitCode + describe(output));
      }
      return this;
    }
  }

  /** A command that could not be started, exited non-zero, or ran out of time. */
  static final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
      super(message);
    }

    CommandFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Runs {@code argv} and returns its result whatever its exit code. */
  static Result run(Duration timeout, List<String> argv) {
    Path output;
    try {
      output = Files.createTempFile("meridian-netlab-", ".out");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a file for the output of a command", e);
    }
    try {
      Process process;
      try {
        process =
            new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
      } catch (IOException e) {
        throw new CommandFailedException("cannot start `" + commandLine(argv) + "`", e);
      }
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new CommandFailedException("interrupted while running `" + commandLine(argv) + "`");
      }
      if (!finished) {
        process.destroyForcibly();
        throw new CommandFailedException(
            "`"
                + commandLine(argv)
                + "` did not finish within "
                + timeout.toMillis()
                + " ms and was killed"
                + describe(read(output)));
      }
      return new Result(List.copyOf(argv), process.exitValue(), read(output));
    } finally {
      try {
        Files.deleteIfExists(output);
      } catch (IOException e) {
        // A stray temporary file is harmless.
      }
    }
  }

  /** Runs {@code argv} and returns its output, or throws if it exited non-zero. */
  static String check(Duration timeout, List<String> argv) {
    return run(timeout, argv).requireSuccess().output();
  }

  /**
   * The absolute path of an executable named {@code name} on {@code PATH} or in the system's sbin
   * and bin directories.
   */
  static Optional<Path> find(String name) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.concat(Stream.of(path.split(File.pathSeparator)), SYSTEM_DIRECTORIES.stream())
        .filter(directory -> !directory.isEmpty())
        .map(directory -> Path.of(directory, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** The command line as one would type it, for messages. */
  static String commandLine(List<String> argv) {
    return argv.stream()
        .map(arg -> arg.isEmpty() || arg.matches(".*[\\s'\"\\\\$`].*") ? quote(arg) : arg)
        .collect(Collectors.joining(" "));
  }

  private static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  private static String describe(String output) {
    String trimmed = output.strip();
    return trimmed.isEmpty() ? " with no output" : ":\n" + trimmed;
  }

  private static String read(Path output) {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }
}
