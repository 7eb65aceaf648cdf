package dev.meridian.controller.routing;

import java.util.Objects;

/**
 * An operator's drain of a region, as routing sees it.
 *
 * @param who who asked for it
 * @param reason why
 * @param startNanos when its ramp started, on the controller's ticker; a paused ramp's start moves
 *     later by the time it was held
 * @param pause why the ramp is paused before its next step; empty when it is not
 */
public record Drain(String who, String reason, long startNanos, String pause) {
  /** Checks the fields are present. */
  public Drain {
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(pause, "pause");
  }

  /** A drain whose ramp runs from {@code startNanos} unpaused. */
  public Drain(String who, String reason, long startNanos) {
    this(who, reason, startNanos, "");
  }

  /** This drain with its ramp starting at {@code startNanos}, paused for {@code pause} if any. */
  Drain paced(long startNanos, String pause) {
    return new Drain(who, reason, startNanos, pause);
  }

  /** For reasons: {@code drained by alice: kernel upgrade}. */
  String describe(String verb) {
    return verb + " by " + who + ": " + reason;
  }
}
