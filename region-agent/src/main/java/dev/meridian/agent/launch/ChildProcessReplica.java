package dev.meridian.agent.launch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A replica running as a child process: the agent's own replica JVM or an external server.
 * Thread-safe.
 */
final class ChildProcessReplica implements RunningReplica {
  /** Beyond the drain timeout, how long a stopping JVM may take to finish exiting. */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

  private final Process process;
  private final ReplicaReady ready;
  private final Duration drainTimeout;
  private final CompletableFuture<String> exited;

  /**
   * Watches {@code process}.
   *
   * @param describe says what an exit code means, for {@link #exited()}
   */
  ChildProcessReplica(
      Process process, ReplicaReady ready, Duration drainTimeout, IntFunction<String> describe) {
    this.process = process;
    this.ready = ready;
    this.drainTimeout = drainTimeout;
    this.exited = process.onExit().thenApply(done -> describe.apply(done.exitValue()));
  }

  @Override
  public ReplicaReady ready() {
    return ready;
  }

  @Override
  public CompletableFuture<String> exited() {
    return exited;
  }

  @Override
  public void stop() {
    // SIGTERM: the replica's shutdown hook drains it.
    process.destroy();
    try {
      if (!process.waitFor(drainTimeout.plus(EXIT_GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
