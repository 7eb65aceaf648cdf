package dev.meridian.core.status;

import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.Duration;
import java.time.Instant;

/**
 * How long ago a routing table was computed, as the status page and {@code meridian status} show
 * it: from its {@code computed_at} to now, never negative (clocks of two hosts may disagree).
 */
public final class TableAge {
  private TableAge() {}

  /** Seconds from {@code table}'s computation to {@code now}, at least 0. */
  public static double seconds(RoutingTable table, Instant now) {
    Instant computed =
        Instant.ofEpochSecond(table.getComputedAt().getSeconds(), table.getComputedAt().getNanos());
    return Math.max(0, Duration.between(computed, now).toMillis()) / 1000.0;
  }
}
