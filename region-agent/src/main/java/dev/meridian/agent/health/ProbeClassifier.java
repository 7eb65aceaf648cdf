package dev.meridian.agent.health;

import io.grpc.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Judges one probe of a replica: critical when the probe failed, warning when it answered but
 * slower than the latency objective, at its concurrency limit, or from the fallback model, passing
 * otherwise. The output says which and why. Immutable.
 */
public final class ProbeClassifier {
  private final Duration latencyObjective;
  private final Optional<String> fallbackNote;

  /**
   * Creates a classifier.
   *
   * @param fallbackNote why the replica serves its fallback model, if it does
   */
  public ProbeClassifier(Duration latencyObjective, Optional<String> fallbackNote) {
    this.latencyObjective = latencyObjective;
    this.fallbackNote = fallbackNote;
  }

  /** Judges a probe that ended with {@code status} after {@code latency}. */
  public CheckUpdate classify(Status status, Duration latency) {
    String took = millis(latency);
    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
      return new CheckUpdate(
          HealthStatus.WARNING, "at its concurrency limit: " + status.getDescription());
    }
    if (!status.isOk()) {
      return CheckUpdate.critical(
          "probe failed after " + took + ": " + status.getCode() + ": " + status.getDescription());
    }
    if (latency.compareTo(latencyObjective) > 0) {
      return new CheckUpdate(
          HealthStatus.WARNING,
          "slow: probe answered in "
              + took
              + ", over the latency objective of "
              + millis(latencyObjective));
    }
    if (fallbackNote.isPresent()) {
      return new CheckUpdate(
          HealthStatus.WARNING, fallbackNote.get() + "; probe answered in " + took);
    }
    return new CheckUpdate(
        HealthStatus.PASSING,
        "probe answered in " + took + " (objective " + millis(latencyObjective) + ")");
  }

  private static String millis(Duration duration) {
    return String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
  }
}
