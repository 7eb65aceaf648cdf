package dev.meridian.controller.consul;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's drain as kept in KV, so that a new leader carries on with it: the ramp start is a
 * wall-clock time because it must mean the same thing to another process.
 *
 * @param region the drained region
 * @param who who asked for it
 * @param reason why
 * @param startedAt when the drain (and its ramp) started
 * @param forced whether an admin forced it past the safety checks: its ramp is never paused, under
 *     this leader or the next
 */
public record DrainRecord(
    String region, String who, String reason, Instant startedAt, boolean forced) {
  /** Checks every field is present. */
  public DrainRecord {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(startedAt, "startedAt");
  }
}
