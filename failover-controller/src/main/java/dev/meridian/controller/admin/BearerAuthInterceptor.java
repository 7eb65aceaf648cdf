package dev.meridian.controller.admin;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Admits only calls carrying {@code authorization: Bearer <token>} with the configured token:
 * without one they get UNAUTHENTICATED, with another PERMISSION_DENIED, and either refusal is
 * written to the audit log. Tokens are compared as SHA-256 digests with {@link
 * MessageDigest#isEqual}, so the comparison takes the same time whatever the token's length or
 * contents. Admitted calls carry the caller's identity in {@link CallerIdentity#KEY}. Thread-safe
 * (immutable).
 */
public final class BearerAuthInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  private final byte[] expectedDigest;
  private final String fingerprint;
  private final AuditLog audit;

  /** Accepts {@code token}; refusals go to {@code audit}. */
  public BearerAuthInterceptor(String token, AuditLog audit) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("admin token: empty (expected: a secret)");
    }
    this.expectedDigest = sha256(token);
    this.fingerprint = HexFormat.of().formatHex(expectedDigest, 0, 4);
    this.audit = audit;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String peer = peer(call);
    String header = headers.get(AUTHORIZATION);
    if (header == null
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        || header.substring(BEARER.length()).isBlank()) {
      return refuse(
          call,
          peer,
          Status.UNAUTHENTICATED.withDescription(
              "missing credentials: send metadata 'authorization: Bearer <token>'"));
    }
    byte[] presented = sha256(header.substring(BEARER.length()).trim());
    if (!MessageDigest.isEqual(presented, expectedDigest)) {
      return refuse(
          call, peer, Status.PERMISSION_DENIED.withDescription("the bearer token is not accepted"));
    }
    Context context =
        Context.current().withValue(CallerIdentity.KEY, "token:" + fingerprint + "@" + peer);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private <ReqT, RespT> ServerCall.Listener<ReqT> refuse(
      ServerCall<ReqT, RespT> call, String peer, Status status) {
    audit.result("peer:" + peer, call.getMethodDescriptor().getFullMethodName(), status);
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private static String peer(ServerCall<?, ?> call) {
    SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    return address == null ? "unknown" : address.toString();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
