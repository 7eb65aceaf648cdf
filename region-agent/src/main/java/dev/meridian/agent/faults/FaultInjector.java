package dev.meridian.agent.faults;

import io.grpc.Status;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Applies a replica's current {@link FaultSettings} to one call at a time. Thread-safe: settings
 * are swapped atomically and each call reads them once.
 */
public final class FaultInjector {
  private final RandomGenerator random;
  private volatile FaultSettings settings = FaultSettings.NONE;

  /** Creates an injector with no faults, drawing which calls fail from {@code random}. */
  public FaultInjector(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The settings in force. */
  public FaultSettings settings() {
    return settings;
  }

  /** Replaces the settings in force. */
  public void set(FaultSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Delays the calling thread by the added latency, then fails the call with the configured code
   * for the configured fraction of calls.
   *
   * @throws io.grpc.StatusRuntimeException for a call chosen to fail, or {@code CANCELLED} when
   *     interrupted while delayed
   */
  public void apply(String replica) {
    FaultSettings current = settings;
    if (!current.addedLatency().isZero()) {
      try {
        // The delay deliberately holds the calling thread and its concurrency slot, as a slow
        // model does.
        TimeUnit.NANOSECONDS.sleep(current.addedLatency().toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED
            .withDescription("replica " + replica + " stopped during injected latency")
            .asRuntimeException();
      }
    }
    if (current.failureFraction() > 0 && random.nextDouble() < current.failureFraction()) {
      throw Status.fromCode(current.failureCode())
          .withDescription(
              "injected fault on replica "
                  + replica
                  + ": failing "
                  + current.failureFraction()
                  + " of calls")
          .asRuntimeException();
    }
  }
}
