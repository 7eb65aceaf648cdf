package dev.meridian.gateway.call;

import dev.meridian.core.tracing.CallTraces;
import dev.meridian.core.tracing.Tracing;
import dev.meridian.gateway.routing.ReplicaEndpoint;
import io.grpc.Metadata;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;

/**
 * The spans of a gateway call: the call's own (the server span {@link Tracing}'s interceptor
 * started), labelled with how the call was served, and a span per attempt, its child, whose context
 * travels to the replica in the attempt's headers and which names the region, the replica and the
 * attempt's number, and ends with the outcome. With tracing off only a caller's trace context is
 * passed on, and a call without one costs nothing here. Thread-safe.
 */
final class CallSpans {
  static final AttributeKey<String> MODEL = AttributeKey.stringKey("meridian.model");
  static final AttributeKey<String> REGION = AttributeKey.stringKey("meridian.region");
  static final AttributeKey<String> REPLICA = AttributeKey.stringKey("meridian.replica");
  static final AttributeKey<Long> NUMBER = AttributeKey.longKey("meridian.attempt");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("meridian.outcome");
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("meridian.attempts");
  static final AttributeKey<Long> GRPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");

  private static final Attempt UNTRACED = new Attempt(Span.getInvalid(), new Metadata());

  private final Tracing tracing;

  CallSpans(Tracing tracing) {
    this.tracing = tracing;
  }

  /** The span of the attempt {@code call} is about to send to {@code replica}. */
  Attempt start(CallState call, ReplicaEndpoint replica) {
    io.opentelemetry.context.Context parent = CallTraces.of(call.callerContext());
    if (!tracing.recording() && !Span.fromContext(parent).getSpanContext().isValid()) {
      return UNTRACED;
    }
    Span span =
        tracing
            .tracer()
            .spanBuilder("attempt")
            .setParent(parent)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(MODEL, call.request().getModelName())
            .setAttribute(REGION, replica.region())
            .setAttribute(REPLICA, replica.id())
            .setAttribute(NUMBER, (long) call.upstreamCalls())
            .startSpan();
    return new Attempt(span, tracing.headers(parent.with(span)));
  }

  /**
   * Labels the call's span with its model, how it was served ({@code PRIMARY}, {@code RETRY},
   * {@code HEDGE}, {@code FALLBACK_MODEL}, {@code DEFAULT_RESPONSE}, or the status code it failed
   * with) and its number of upstream calls.
   */
  void ended(CallState call, String outcome) {
    Span span = CallTraces.span(call.callerContext());
    if (span.isRecording()) {
      span.setAttribute(MODEL, call.request().getModelName());
      span.setAttribute(OUTCOME, outcome);
      span.setAttribute(ATTEMPTS, (long) call.upstreamCalls());
    }
  }

  /**
   * One attempt's span and the headers that carry it to the replica.
   *
   * @param headers trace context for the upstream call; empty when there is none to pass on
   */
  record Attempt(Span span, Metadata headers) {
    /** The replica answered. */
    void answered() {
      span.setAttribute(GRPC_STATUS, (long) Status.Code.OK.value());
      span.setAttribute(OUTCOME, "answered");
      span.end();
    }

    /**
     * The attempt got no answer, for the reason given.
     *
     * @param cancelledHere whether this gateway cancelled it (another attempt answered, the caller
     *     left), which is no error of the replica's
     */
    void failed(Status status, String why, boolean cancelledHere) {
      span.setAttribute(GRPC_STATUS, (long) status.getCode().value());
      span.setAttribute(OUTCOME, why);
      if (!cancelledHere) {
        span.setStatus(StatusCode.ERROR, status.getCode().name());
      }
      span.end();
    }
  }
}
