package dev.meridian.devconsul;

/** The consistency mode a read asked for, named as {@code X-Consul-Effective-Consistency} says. */
enum Consistency {
  LEADER("leader"),
  STALE("stale"),
  CONSISTENT("consistent");

  private final String header;

  Consistency(String header) {
    this.header = header;
  }

  String header() {
    return header;
  }

  /**
   * Reads the mode from {@code ?stale} / {@code ?consistent}, which count by presence.
   *
   * @throws ApiException 400 when both are present
   */
  static Consistency of(ApiRequest request) {
    boolean stale = request.has("stale");
    boolean consistent = request.has("consistent");
    if (stale && consistent) {
      throw ApiException.badRequest(
          "Cannot specify ?stale with ?consistent, conflicting semantics.");
    }
    return stale ? STALE : consistent ? CONSISTENT : LEADER;
  }
}
