package dev.meridian.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Factories of daemon threads, for the background work of a server or client (schedules, writers,
 * pools): they never keep a process alive once its main work has ended.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Daemon threads all named {@code name}. */
  public static ThreadFactory named(String name) {
    return task -> daemon(task, name);
  }

  /** Daemon threads named {@code <name>-1}, {@code <name>-2} and so on. */
  public static ThreadFactory numbered(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> daemon(task, name + "-" + count.incrementAndGet());
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
