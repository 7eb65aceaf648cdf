package dev.meridian.deploy.gameday;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waits, checking every 50 ms, for something a game day watches in a running system. */
public final class Poll {
  private static final long INTERVAL_MILLIS = 50;

  private Poll() {}

  /**
   * Returns once {@code condition} holds; a condition that throws counts as not holding yet.
   *
   * @param what what is awaited, named in the timeout
   * @throws TimeoutException when it still does not hold after {@code atMost}
   */
  public static void until(String what, Duration atMost, BooleanSupplier condition)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!holds(condition)) {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException(what + ": not so after " + atMost.toSeconds() + " s");
      }
      TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
    }
  }

  private static boolean holds(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (RuntimeException notYet) {
      return false;
    }
  }
}
