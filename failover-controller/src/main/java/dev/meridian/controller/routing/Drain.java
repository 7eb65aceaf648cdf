package dev.meridian.controller.routing;

import java.util.Objects;

/**
 * An operator's drain of a region, as routing sees it.
 *
 * @param who who asked for it
 * @param reason why
 * @param startNanos when its ramp started, on the controller's ticker
 */
public record Drain(String who, String reason, long startNanos) {
  /** Checks the fields are present. */
  public Drain {
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(reason, "reason");
  }

  /** For reasons: {@code drained by alice: kernel upgrade}. */
  String describe(String verb) {
    return verb + " by " + who + ": " + reason;
  }
}
