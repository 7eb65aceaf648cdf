package dev.meridian.controller;

import dev.meridian.core.DaemonThreads;
import dev.meridian.core.Durations;
import io.grpc.Status;
import io.grpc.StatusException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's single serialised path: one daemon thread runs every state change (health
 * updates, elections, ticks, admin calls) one at a time, so the routing state needs no locks (after
 * grpc-java's {@code SynchronizationContext}). Thread-safe.
 */
final class SerialLoop implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(SerialLoop.class);

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("controller-routing"));
  private final Duration callTimeout;

  /**
   * A loop whose {@link #call}s are withdrawn when they have not started within {@code
   * callTimeout}.
   */
  SerialLoop(Duration callTimeout) {
    this.callTimeout = callTimeout;
  }

  /** Runs {@code task} on the loop; failures are logged, never lost silently. */
  void execute(Runnable task) {
    try {
      executor.execute(() -> runLogged(task));
    } catch (RejectedExecutionException e) {
      logger.debug("controller loop closed; dropping a task");
    }
  }

  /** Runs {@code task} on the loop every {@code period}. */
  void every(Duration period, Runnable task) {
    executor.scheduleWithFixedDelay(
        () -> runLogged(task), period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Runs {@code task} on the loop and answers with what it did. A task that has not started within
   * the timeout (the loop is busy) is withdrawn and never runs: the caller hears that nothing
   * changed. A task that has started is waited for, however long it takes (its Consul calls have
   * their own timeouts), so a change that completes late is reported as done, never as failed.
   *
   * @throws StatusException the task's own status; UNAVAILABLE when it was withdrawn or the loop is
   *     closed; INTERNAL for an unexpected failure
   */
  <T> T call(Callable<T> task) throws StatusException {
    AtomicBoolean claimed = new AtomicBoolean();
    Future<T> future;
    try {
      future =
          executor.submit(
              () -> {
                if (!claimed.compareAndSet(false, true)) {
                  return null; // withdrawn by the caller: do nothing
                }
                return task.call();
              });
    } catch (RejectedExecutionException e) {
      throw Status.UNAVAILABLE.withDescription("the controller is shutting down").asException();
    }
    try {
      try {
        return future.get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (claimed.compareAndSet(false, true)) {
          throw Status.UNAVAILABLE
              .withDescription(
                  "the controller was too busy to start this call within "
                      + Durations.format(callTimeout)
                      + "; nothing changed, retry")
              .asException();
        }
        return future.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusException status) {
        throw status;
      }
      logger.error("controller task failed", e.getCause());
      throw Status.INTERNAL
          .withDescription("controller error: " + e.getCause())
          .withCause(e.getCause())
          .asException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asException();
    }
  }

  private static void runLogged(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      logger.error("controller task failed", e);
    }
  }

  /** Stops the thread; queued tasks are dropped. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
