package dev.meridian.registry;

import java.time.Duration;

/** Writes durations the way Consul's Go server parses them, e.g. {@code 15s} or {@code 1500ms}. */
final class GoDurations {
  private GoDurations() {}

  static String format(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }
}
