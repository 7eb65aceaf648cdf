package dev.meridian.controller.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.io.IOException;
import java.util.Optional;

/**
 * Writes every admitted admin call to the {@link AuditLog}: the request before the handler sees it
 * (if that line cannot be written, the call fails UNAVAILABLE and nothing is done), and the status
 * when the call closes. Each call's lines share a call id. Runs inside {@link AuthInterceptor},
 * whose identity it records, and outside {@link AuthorizationInterceptor}, so a request its role
 * does not allow is recorded. Thread-safe (stateless; per-call state lives in the call's listener,
 * which gRPC calls serially).
 */
public final class AuditInterceptor implements ServerInterceptor {
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final AuditLog audit;

  /** Records to {@code audit}. */
  public AuditInterceptor(AuditLog audit) {
    this.audit = audit;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String id = AuditLog.newCallId();
    String who = Caller.currentIdentity();
    String action = call.getMethodDescriptor().getFullMethodName();
    ServerCall<ReqT, RespT> audited =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            audit.result(id, who, action, status);
            super.close(status, trailers);
          }
        };
    return new RequestGate<>(
        next.startCall(audited, headers),
        audited,
        message -> {
          try {
            audit.attempt(id, who, action, toJson(message));
            return Optional.empty();
          } catch (IOException e) {
            return Optional.of(
                Status.UNAVAILABLE
                    .withDescription(
                        "the audit log cannot be written (" + e + "); nothing was done")
                    .withCause(e));
          }
        });
  }

  private static String toJson(Object message) {
    if (!(message instanceof MessageOrBuilder proto)) {
      return "{}";
    }
    try {
      return JSON.print(proto);
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields of unknown types fail to print; the admin requests have none.
      throw new IllegalStateException("cannot print " + proto.getClass().getSimpleName(), e);
    }
  }
}
