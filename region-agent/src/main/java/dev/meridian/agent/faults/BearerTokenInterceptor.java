package dev.meridian.agent.faults;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Lets a call through only when its {@code authorization} header is {@code Bearer <token>} with the
 * {@link AdminToken}: without the header a call fails {@code UNAUTHENTICATED}, with another token
 * {@code PERMISSION_DENIED}, before the service sees it. Thread-safe.
 */
final class BearerTokenInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final String BEARER = "Bearer ";

  private final AdminToken token;

  BearerTokenInterceptor(AdminToken token) {
    this.token = token;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String authorization = headers.get(AUTHORIZATION);
    if (authorization == null || !authorization.startsWith(BEARER)) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription("expected: Bearer <admin token>"));
    }
    if (!token.matches(authorization.substring(BEARER.length()))) {
      return refuse(call, Status.PERMISSION_DENIED.withDescription("wrong admin token"));
    }
    return next.startCall(call, headers);
  }

  private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
