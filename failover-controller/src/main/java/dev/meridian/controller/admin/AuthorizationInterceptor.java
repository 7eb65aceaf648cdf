package dev.meridian.controller.admin;

import dev.meridian.controller.admin.AuthMetrics.Reason;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Objects;
import java.util.Optional;

/**
 * Lets a request through only when the caller's role allows it ({@link AccessPolicy}); otherwise
 * the call fails PERMISSION_DENIED naming the role needed and the caller's. Runs inside {@link
 * AuthInterceptor} and {@link AuditInterceptor}, so a refused request is audited with its result.
 * Thread-safe (stateless).
 */
public final class AuthorizationInterceptor implements ServerInterceptor {
  private final AuthMetrics metrics;

  /** Counts refusals in {@code metrics}. */
  public AuthorizationInterceptor(AuthMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Caller caller =
        Objects.requireNonNull(Caller.KEY.get(), "authorization runs inside authentication");
    return new RequestGate<>(
        next.startCall(call, headers),
        call,
        request -> {
          AccessPolicy.Requirement needed =
              AccessPolicy.required(call.getMethodDescriptor(), request);
          if (caller.role().includes(needed.role())) {
            return Optional.empty();
          }
          metrics.refused(Reason.ROLE);
          return Optional.of(
              Status.PERMISSION_DENIED.withDescription(
                  needed.action()
                      + " needs role "
                      + needed.role().label()
                      + "; "
                      + caller.identity()
                      + " has role "
                      + caller.role().label()));
        });
  }
}
