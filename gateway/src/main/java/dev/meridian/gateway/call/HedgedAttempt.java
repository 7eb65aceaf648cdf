package dev.meridian.gateway.call;

import dev.failsafe.spi.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Hedging: when the first attempt has not answered after a delay, a second one starts (elsewhere,
 * as attempts never reuse a tried replica) and the first answer wins; the loser is cancelled. The
 * call fails only when every started attempt has failed, with the last failure.
 */
final class HedgedAttempt {
  private final Scheduler scheduler;

  HedgedAttempt(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Runs {@code first}, and {@code hedge} if the first is still running after the delay.
   *
   * @param hedge starts the hedged attempt
   * @param delay the hedge delay, asked once the first attempt has started (it may depend on where
   *     that went)
   */
  <T> CompletableFuture<T> run(
      Supplier<CompletableFuture<T>> first,
      Supplier<CompletableFuture<T>> hedge,
      Supplier<Duration> delay) {
    CompletableFuture<T> result = new CompletableFuture<>();
    AtomicInteger running = new AtomicInteger(1);
    CompletableFuture<T> primary = first.get();
    if (primary.isDone()) {
      return primary; // answered or refused at once: nothing to hedge
    }
    Future<?> timer =
        scheduler.schedule(
            () -> {
              // Only while the first still runs: once it has failed, the retry policy takes over.
              if (!result.isDone() && running.getAndUpdate(n -> n > 0 ? n + 1 : n) > 0) {
                CompletableFuture<T> second = start(hedge);
                join(second, result, running);
                result.whenComplete((value, error) -> second.cancel(true));
              }
              return null;
            },
            delay.get().toNanos(),
            TimeUnit.NANOSECONDS);
    join(primary, result, running);
    result.whenComplete(
        (value, error) -> {
          timer.cancel(false);
          primary.cancel(true);
        });
    return result;
  }

  /** Starts an attempt; one that throws instead of returning a future has failed. */
  private static <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> attempt) {
    try {
      return attempt.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static <T> void join(
      CompletableFuture<T> attempt, CompletableFuture<T> result, AtomicInteger running) {
    attempt.whenComplete(
        (value, error) -> {
          if (error == null) {
            result.complete(value);
          } else if (running.decrementAndGet() == 0) {
            result.completeExceptionally(error);
          }
        });
  }
}
