package dev.meridian.deploy.e2e;

import static org.awaitility.Awaitility.await;

import dev.meridian.deploy.gameday.CallLog;
import dev.meridian.deploy.gameday.Target;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** The bounded waits of the fault scenarios. */
final class Waits {
  /** The longest any step of a scenario may take to come true. */
  static final Duration SETTLE = Duration.ofMinutes(2);

  private Waits() {}

  /** Waits until calls due from {@code sinceNanos} on are answered by {@code target}. */
  static void awaitServed(CallLog calls, Target target, long sinceNanos) {
    awaitUntil("calls answered by " + target.name(), () -> calls.servedBy(target, sinceNanos));
  }

  /** Waits up to {@link #SETTLE} until {@code condition} holds. */
  static void awaitUntil(String what, Callable<Boolean> condition) {
    await(what)
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(condition);
  }

  /** Keeps a fault in place while the load runs; what is measured does not depend on it. */
  static void hold(Duration duration) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(duration.toMillis());
  }
}
