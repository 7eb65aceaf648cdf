package dev.meridian.gateway.call;

import dev.failsafe.spi.Scheduler;
import dev.meridian.core.server.EventLoops;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Failsafe scheduler that runs work due now on the calling thread, and times delayed work (retry
 * backoff, hedge timers) on the event loop that asks, or on a scheduled executor when the caller is
 * not an event loop. A call's first attempt then starts without a thread hop, and its hedge timer,
 * armed and mostly cancelled again on every call, wakes no other thread: on a busy machine either
 * costs more than the attempt's own work. Only for work that never blocks: the gateway uses it when
 * no bulkhead wait is configured.
 */
public final class ImmediateFirstScheduler implements Scheduler {
  private final EventLoops eventLoops;
  private final ScheduledExecutorService delayed;

  /**
   * Creates a scheduler that times delayed work on the calling thread when it is one of {@code
   * eventLoops}, on {@code delayed} otherwise.
   */
  public ImmediateFirstScheduler(EventLoops eventLoops, ScheduledExecutorService delayed) {
    this.eventLoops = eventLoops;
    this.delayed = delayed;
  }

  @Override
  public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
    if (delay > 0) {
      return eventLoops.current().orElse(delayed).schedule(callable, delay, unit);
    }
    CompletableFuture<Object> result = new CompletableFuture<>();
    try {
      result.complete(callable.call());
    } catch (Exception e) {
      result.completeExceptionally(e);
    }
    return new Completed(result);
  }

  /** An already-finished {@link ScheduledFuture} around a completed future. */
  private record Completed(CompletableFuture<Object> result) implements ScheduledFuture<Object> {
    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return false;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean isDone() {
      return true;
    }

    @Override
    public Object get() throws InterruptedException, ExecutionException {
      return result.get();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException {
      return result.get();
    }
  }
}
