package dev.meridian.controller.admin;

import io.grpc.Context;

/**
 * Who is calling, as {@link AuthInterceptor} established it: the operator's name and role, and the
 * peer address. {@link #identity()} is what the audit log, the drain records and the tables record.
 *
 * @param operator the operator's name in the operators file
 * @param role what the operator may do
 * @param peer the address the call came from
 */
public record Caller(String operator, Role role, String peer) {
  /** Set on every authenticated call's context. */
  static final Context.Key<Caller> KEY = Context.key("meridian-admin-caller");

  /** {@code operator:<name>@<peer>}, for example {@code operator:alice@/10.0.0.7:53122}. */
  public String identity() {
    return "operator:" + operator + "@" + peer;
  }

  /** The current call's caller identity, or {@code unknown} outside an authenticated call. */
  static String currentIdentity() {
    Caller caller = KEY.get();
    return caller == null ? "unknown" : caller.identity();
  }
}
