package dev.meridian.core.server;

import dev.meridian.core.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server's call executor with at most a fixed number of threads, in place of grpc-java's
 * default unbounded cached pool, which starts a thread for every call that blocks. Calls beyond the
 * threads wait their turn. Threads start as calls need them and end after {@link #IDLE} without
 * work; the server's owner shuts the executor down once the server has terminated.
 */
public final class ServerExecutor {
  /** How long a thread without work lives. */
  static final Duration IDLE = Duration.ofSeconds(30);

  private ServerExecutor() {}

  /** A pool of at most {@code threads} daemon threads named {@code <name>-<n>}. */
  public static ExecutorService fixed(String name, int threads) {
    ThreadFactory factory = DaemonThreads.numbered(name);
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            IDLE.toNanos(),
            TimeUnit.NANOSECONDS,
            new LinkedBlockingQueue<>(),
            factory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
