package dev.meridian.core.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gRPC server's call executor with a fixed number of threads, in place of grpc-java's default
 * unbounded cached pool, which starts a thread for every call that blocks. Calls beyond the threads
 * wait their turn; the server's owner shuts the executor down after the server.
 */
public final class ServerExecutor {
  private ServerExecutor() {}

  /** A pool of {@code threads} daemon threads named {@code <name>-<n>}. */
  public static ExecutorService fixed(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    return Executors.newFixedThreadPool(threads, factory);
  }
}
