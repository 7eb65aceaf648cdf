package dev.meridian.core.tracing;

import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes every served call a span, the child of the trace context its caller sent, and puts the
 * span's context in the call's gRPC context ({@link CallTraces}). The span ends when the call
 * closes or is cancelled, with the gRPC status; statuses that blame the server mark it an error.
 */
final class TracingServerInterceptor implements ServerInterceptor {
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<Long> GRPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");

  /** What OpenTelemetry's gRPC conventions count as the server's fault. */
  private static final Set<Status.Code> SERVER_ERRORS =
      EnumSet.of(
          Status.Code.UNKNOWN,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.UNIMPLEMENTED,
          Status.Code.INTERNAL,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS);

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  TracingServerInterceptor(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    io.opentelemetry.context.Context parent =
        propagator.extract(
            io.opentelemetry.context.Context.root(), headers, MetadataCarrier.INSTANCE);
    String method = call.getMethodDescriptor().getFullMethodName();
    Span span =
        tracer
            .spanBuilder(method)
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(RPC_SYSTEM, "grpc")
            .setAttribute(RPC_SERVICE, call.getMethodDescriptor().getServiceName())
            .setAttribute(RPC_METHOD, call.getMethodDescriptor().getBareMethodName())
            .startSpan();
    SpanEnd end = new SpanEnd(span);
    io.grpc.Context traced = io.grpc.Context.current().withValue(CallTraces.KEY, parent.with(span));
    ServerCall<Q, A> ending =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            end.with(status);
            super.close(status, trailers);
          }
        };
    return new SimpleForwardingServerCallListener<>(
        Contexts.interceptCall(traced, ending, headers, next)) {
      @Override
      public void onCancel() {
        end.with(Status.CANCELLED);
        super.onCancel();
      }
    };
  }

  /** Ends a span once, whichever of close and cancel comes first. */
  private static final class SpanEnd {
    private final Span span;
    private final AtomicBoolean ended = new AtomicBoolean();

    SpanEnd(Span span) {
      this.span = span;
    }

    void with(Status status) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      span.setAttribute(GRPC_STATUS, status.getCode().value());
      if (SERVER_ERRORS.contains(status.getCode())) {
        span.setStatus(StatusCode.ERROR, status.getCode().name());
      }
      span.end();
    }
  }
}
