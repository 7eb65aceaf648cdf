package dev.meridian.controller.admin;

import io.grpc.Context;

/**
 * Who is calling, as the authentication interceptor established it, for the audit log and for the
 * drain records: {@code token:1a2b3c4d@10.0.0.7:53122} (a fingerprint of the token, never the
 * token, and the peer address).
 */
final class CallerIdentity {
  /** Set on every authenticated call's context. */
  static final Context.Key<String> KEY = Context.key("meridian-admin-caller");

  private CallerIdentity() {}

  /** The current call's caller, or {@code unknown} outside an authenticated call. */
  static String current() {
    String who = KEY.get();
    return who == null ? "unknown" : who;
  }
}
