package dev.meridian.controller.admin;

import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;

/**
 * The {@code RegionAdmin} service behind its interceptors, in the one order that is right: {@link
 * AuthInterceptor} establishes the caller (refusals audited), {@link AuditInterceptor} records the
 * request before anything else sees it, {@link AuthorizationInterceptor} checks the caller's role,
 * and only then does {@link RegionAdminService} act.
 */
public final class SecuredAdminService {
  private SecuredAdminService() {}

  /** {@code service} behind authentication, auditing to {@code audit}, and the role check. */
  public static ServerServiceDefinition of(
      RegionAdminService service,
      AuthInterceptor authentication,
      AuditLog audit,
      AuthMetrics metrics) {
    // The last interceptor listed runs first.
    return ServerInterceptors.intercept(
        service,
        new AuthorizationInterceptor(metrics),
        new AuditInterceptor(audit),
        authentication);
  }
}
