package dev.meridian.core.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The trace context of the gRPC call being served, which {@link Tracing}'s server interceptor puts
 * in the call's gRPC {@link io.grpc.Context}: read it to start a child span, to label the call's
 * span, or to name the trace in a log line.
 */
public final class CallTraces {
  static final io.grpc.Context.Key<io.opentelemetry.context.Context> KEY =
      io.grpc.Context.key("meridian-trace-context");

  private CallTraces() {}

  /** The trace context of the call {@code call} belongs to; the root context outside a call. */
  public static io.opentelemetry.context.Context of(io.grpc.Context call) {
    io.opentelemetry.context.Context traced = KEY.get(call);
    return traced == null ? io.opentelemetry.context.Context.root() : traced;
  }

  /** The span of the call {@code call} belongs to; an invalid, non-recording span outside one. */
  public static Span span(io.grpc.Context call) {
    return Span.fromContext(of(call));
  }

  /** The call's trace id, or the empty string when the call carries no trace. */
  public static String traceId(io.grpc.Context call) {
    SpanContext context = span(call).getSpanContext();
    return context.isValid() ? context.getTraceId() : "";
  }
}
