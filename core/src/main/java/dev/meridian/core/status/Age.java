package dev.meridian.core.status;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * How long ago something was stamped (a routing table computed, a gateway's report written), as the
 * status pages and {@code meridian status} show it: from the stamp to now, never negative (clocks
 * of two hosts may disagree).
 */
public final class Age {
  private Age() {}

  /** Seconds from {@code stamp} to {@code now}, at least 0. */
  public static double seconds(Timestamp stamp, Instant now) {
    Instant at = Instant.ofEpochSecond(stamp.getSeconds(), stamp.getNanos());
    return Math.max(0, Duration.between(at, now).toMillis()) / 1000.0;
  }
}
