package dev.meridian.agent.health;

import java.util.Objects;

/**
 * A status for a replica's Consul check, with an output that says why.
 *
 * @param status the status
 * @param output why, for example {@code answered in 4 ms (objective 100 ms)}
 */
public record CheckUpdate(HealthStatus status, String output) {
  /** Validates the fields. */
  public CheckUpdate {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
  }

  /** A critical update. */
  public static CheckUpdate critical(String output) {
    return new CheckUpdate(HealthStatus.CRITICAL, output);
  }
}
