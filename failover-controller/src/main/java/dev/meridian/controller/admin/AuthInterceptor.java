package dev.meridian.controller.admin;

import dev.meridian.controller.admin.AuthMetrics.Reason;
import dev.meridian.core.Durations;
import dev.meridian.core.Ticker;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Establishes who is calling: the operator whose bearer token ({@code authorization: Bearer
 * <token>}) the call carries or, when it carries none and the admin listener runs TLS, the operator
 * known by the client certificate's subject CN. Admitted calls carry the {@link Caller} in {@link
 * Caller#KEY}; the role is checked later, by {@link AuthorizationInterceptor}.
 *
 * <p>Refusals are UNAUTHENTICATED, saying what to send, and are audited and counted ({@link
 * AuthMetrics}). Every refusal counts against the peer address in {@link FailureLimiter}: past the
 * limit, the peer's calls are refused RESOURCE_EXHAUSTED before any token is hashed (except those
 * with a token verified recently, which cost a digest to recognise), and audited by one summary
 * line per peer per {@link FailureLimiter#SUMMARY_INTERVAL}, so a flood of bad tokens can neither
 * fill the disk nor take the CPU from operators, elsewhere or at the same address. Thread-safe.
 */
public final class AuthInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  private final OperatorDirectory operators;
  private final FailureLimiter limiter;
  private final Duration refill;
  private final AuditLog audit;
  private final AuthMetrics metrics;

  /**
   * Admits the callers {@code operators} knows.
   *
   * @param failureBurst how many failures in a row a peer may have before it is limited
   * @param failureRefill how often a limited peer may fail again
   */
  public AuthInterceptor(
      OperatorDirectory operators,
      int failureBurst,
      Duration failureRefill,
      Ticker ticker,
      AuditLog audit,
      AuthMetrics metrics) {
    this.operators = operators;
    this.limiter = new FailureLimiter(failureBurst, failureRefill, ticker);
    this.refill = failureRefill;
    this.audit = audit;
    this.metrics = metrics;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String peer = address == null ? "unknown" : address.toString();
    String host = host(address);
    Optional<String> token = bearer(headers);
    if (!limiter.allows(host)) {
      // An operator already verified is still served from a flooded address (a shared NAT, a
      // bastion): the check costs a digest, not a slow hash.
      Optional<Operator> known = token.flatMap(operators::byVerifiedToken);
      if (known.isEmpty()) {
        return limited(call, host);
      }
      return admit(call, headers, next, known.get(), peer);
    }
    Optional<Operator> operator;
    if (token.isPresent()) {
      operator = operators.byToken(token.get());
      if (operator.isEmpty()) {
        return refuse(call, peer, host, Reason.UNKNOWN_TOKEN, "the bearer token is not accepted");
      }
    } else {
      Optional<String> cn = PeerCertificate.subjectCn(call);
      if (cn.isEmpty()) {
        return refuse(
            call,
            peer,
            host,
            Reason.MISSING_CREDENTIALS,
            "missing credentials: send metadata 'authorization: Bearer <token>'"
                + " (or, over TLS, a client certificate an operator is known by)");
      }
      operator = operators.byCertificate(cn.get());
      if (operator.isEmpty()) {
        return refuse(
            call,
            peer,
            host,
            Reason.UNKNOWN_CERTIFICATE,
            "no operator is known by the client certificate CN=" + cn.get());
      }
    }
    return admit(call, headers, next, operator.get(), peer);
  }

  private static <ReqT, RespT> ServerCall.Listener<ReqT> admit(
      ServerCall<ReqT, RespT> call,
      Metadata headers,
      ServerCallHandler<ReqT, RespT> next,
      Operator operator,
      String peer) {
    Caller caller = new Caller(operator.name(), operator.role(), peer);
    return Contexts.interceptCall(
        Context.current().withValue(Caller.KEY, caller), call, headers, next);
  }

  private static Optional<String> bearer(Metadata headers) {
    String header = headers.get(AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    String token = header.substring(BEARER.length()).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  private <ReqT, RespT> ServerCall.Listener<ReqT> refuse(
      ServerCall<ReqT, RespT> call, String peer, String host, Reason reason, String why) {
    limiter.failed(host);
    Status status = Status.UNAUTHENTICATED.withDescription(why);
    audit.result(AuditLog.newCallId(), "peer:" + peer, action(call), status);
    return close(call, reason, status);
  }

  private <ReqT, RespT> ServerCall.Listener<ReqT> limited(
      ServerCall<ReqT, RespT> call, String host) {
    long unreported = limiter.refused(host);
    if (unreported > 0) {
      audit.limited("peer:" + host, unreported);
    }
    return close(
        call,
        Reason.RATE_LIMITED,
        Status.RESOURCE_EXHAUSTED.withDescription(
            "too many failed authentications from "
                + host
                + "; one more attempt is allowed every "
                + Durations.format(refill)));
  }

  private <ReqT, RespT> ServerCall.Listener<ReqT> close(
      ServerCall<ReqT, RespT> call, Reason reason, Status status) {
    metrics.refused(reason);
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private static String action(ServerCall<?, ?> call) {
    return call.getMethodDescriptor().getFullMethodName();
  }

  private static String host(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(address);
  }
}
