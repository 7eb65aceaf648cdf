package dev.meridian.devconsul;

import java.util.Locale;

/** A health check's status as Consul spells it on the wire. */
enum CheckStatus {
  PASSING,
  WARNING,
  CRITICAL;

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses Consul's lowercase spelling.
   *
   * @throws ApiException 400 {@code Invalid check status: '<s>'} for anything else
   */
  static CheckStatus parse(String text) {
    for (CheckStatus status : values()) {
      if (status.wire().equals(text)) {
        return status;
      }
    }
    throw ApiException.badRequest("Invalid check status: '" + text + "'");
  }
}
