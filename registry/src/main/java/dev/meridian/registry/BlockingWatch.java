package dev.meridian.registry;

import dev.meridian.core.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one Consul read with blocking queries on a daemon thread and hands every new value to a
 * listener. It applies the index rules of {@link WatchIndex}, backs off with jitter while Consul
 * fails, never starts two reads closer together than a minimum interval, and records when Consul
 * last answered so callers can report how stale their view is.
 */
public final class BlockingWatch<T> implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(BlockingWatch.class);
  private static final long NEVER = Long.MIN_VALUE;

  /** One blocking read: returns the value once its index passes {@code index}, or on timeout. */
  @FunctionalInterface
  public interface Query<T> {
    /** Reads with the given index (0 answers at once). */
    Versioned<T> read(long index);
  }

  /** Receives new values, on the watch's thread, one at a time. */
  @FunctionalInterface
  public interface Listener<T> {
    /** Called with the first value read and with every value that differs from the last one. */
    void onValue(T value);
  }

  /** How far apart a watch with production pacing starts its reads, at least. */
  public static final Duration MIN_READ_INTERVAL = Duration.ofMillis(100);

  private final String name;
  private final Query<T> query;
  private final Listener<T> listener;
  private final Duration minInterval;
  private final Backoff backoff;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final Thread thread;
  private volatile long lastContactNanos = NEVER;
  private volatile boolean running = true;

  private BlockingWatch(
      String name,
      Query<T> query,
      Listener<T> listener,
      Duration minInterval,
      Backoff backoff,
      Ticker ticker,
      Sleeper sleeper) {
    this.name = name;
    this.query = query;
    this.listener = listener;
    this.minInterval = minInterval;
    this.backoff = backoff;
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.thread = new Thread(this::loop, "watch-" + name);
    this.thread.setDaemon(true);
  }

  /**
   * Starts watching with production pacing: reads at least 100 ms apart, failures backed off from
   * 200 ms up to 10 s.
   */
  public static <T> BlockingWatch<T> start(String name, Query<T> query, Listener<T> listener) {
    return start(
        name,
        query,
        listener,
        MIN_READ_INTERVAL,
        new Backoff(
            Duration.ofMillis(200),
            Duration.ofSeconds(10),
            ThreadLocalRandom.current()::nextDouble),
        Ticker.SYSTEM,
        Sleeper.SYSTEM);
  }

  static <T> BlockingWatch<T> start(
      String name,
      Query<T> query,
      Listener<T> listener,
      Duration minInterval,
      Backoff backoff,
      Ticker ticker,
      Sleeper sleeper) {
    BlockingWatch<T> watch =
        new BlockingWatch<>(name, query, listener, minInterval, backoff, ticker, sleeper);
    watch.thread.start();
    return watch;
  }

  /** How long ago Consul last answered this watch; empty if it never has. */
  public Optional<Duration> sinceLastContact() {
    long last = lastContactNanos;
    return last == NEVER
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(ticker.nanoTime() - last));
  }

  private void loop() {
    long index = 0;
    T last = null;
    boolean delivered = false;
    int failures = 0;
    long previousStart = NEVER;
    while (running) {
      try {
        if (previousStart != NEVER) {
          long elapsed = ticker.nanoTime() - previousStart;
          if (elapsed < minInterval.toNanos()) {
            sleeper.sleep(Duration.ofNanos(minInterval.toNanos() - elapsed));
          }
        }
        previousStart = ticker.nanoTime();
        Versioned<T> result;
        try {
          result = query.read(index);
        } catch (RegistryException e) {
          failures++;
          logger
              .atDebug()
              .addKeyValue("watch", name)
              .addKeyValue("failures", failures)
              .setCause(e)
              .log("watch failed");
          sleeper.sleep(backoff.delay(failures));
          continue;
        }
        if (!running) {
          return;
        }
        failures = 0;
        lastContactNanos = ticker.nanoTime();
        index = WatchIndex.next(index, result.index());
        if (!delivered || !Objects.equals(last, result.value())) {
          last = result.value();
          delivered = true;
          listener.onValue(last);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        logger
            .atWarn()
            .addKeyValue("watch", name)
            .setCause(e)
            .log("watch listener failed; watch goes on");
      }
    }
  }

  /** Stops the watch; a read in flight is abandoned. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
