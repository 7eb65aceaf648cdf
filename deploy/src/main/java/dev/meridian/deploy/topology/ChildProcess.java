package dev.meridian.deploy.topology;

import dev.meridian.core.JavaCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One role running as a child process of the topology: a Meridian role as a child JVM ({@code java
 * -cp <this classpath> MeridianCommand <role> ...}), or another program such as a feature store,
 * its output appended to a log file. Stopping sends SIGTERM (the role's graceful shutdown) and, if
 * it has not exited in time, kills it and its descendants.
 */
public final class ChildProcess implements AutoCloseable {
  private static final String MAIN = "dev.meridian.deploy.MeridianCommand";

  private final String name;
  private final Path log;
  private final Process process;

  private ChildProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts {@code meridian <arguments>} in a child JVM.
   *
   * @param heap the child's {@code -Xmx}, e.g. {@code 256m}
   * @param launcher turns the java command line into the one to run, e.g. inside a network
   *     namespace; it must keep the process ID (exec, not fork)
   */
  public static ChildProcess start(
      String name,
      Path log,
      String heap,
      UnaryOperator<List<String>> launcher,
      String... arguments) {
    return exec(
        name,
        log,
        launcher.apply(
            JavaCommand.sameClasspath(
                heap, List.of("-XX:+UseSerialGC"), MAIN, List.of(arguments))));
  }

  /**
   * Starts {@code command}, a program other than Meridian (the feature stores' {@code
   * redis-server}), its output appended to {@code log}.
   */
  public static ChildProcess exec(String name, Path log, List<String> command) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      return new ChildProcess(name, log, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** The role's name, e.g. {@code agent-eu-west}. */
  public String name() {
    return name;
  }

  /** Where its output goes. */
  public Path log() {
    return log;
  }

  /** Its process ID. */
  public long pid() {
    return process.pid();
  }

  /** Whether it is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills it at once (SIGKILL) without a graceful shutdown, as a crash would. */
  public void kill() {
    process.destroyForcibly();
  }

  /**
   * Freezes it (SIGSTOP): it keeps its connections but answers nothing until {@link #resume()}, as
   * a host stalled by swapping or a long pause would.
   */
  public void pause() {
    signal("STOP");
  }

  /** Lets a paused process run on (SIGCONT). */
  public void resume() {
    signal("CONT");
  }

  private void signal(String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + name + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot signal " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted signalling " + name, e);
    }
  }

  /** Stops it gracefully, waiting up to 20 s before killing it and what it started. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
