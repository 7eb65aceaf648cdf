package dev.meridian.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Tracing}'s server interceptor and headers on a real Netty server and client. */
class TracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";
  private static final Metadata.Key<String> TRACEPARENT =
      Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final AtomicReference<String> seenTraceId = new AtomicReference<>();
  private final AtomicReference<Metadata> passedOn = new AtomicReference<>();
  private Tracing tracing;
  private Server server;
  private ManagedChannel channel;

  /** Answers, or fails with the status the model name names; notes the call's trace. */
  private final class Service extends InferenceGrpc.InferenceImplBase {
    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
      seenTraceId.set(CallTraces.traceId(Context.current()));
      passedOn.set(tracing.headers(CallTraces.of(Context.current())));
      if (request.getModelName().equals("ok")) {
        observer.onNext(PredictResponse.getDefaultInstance());
        observer.onCompleted();
      } else {
        observer.onError(
            Status.fromCode(Status.Code.valueOf(request.getModelName())).asRuntimeException());
      }
    }
  }

  private InferenceGrpc.InferenceBlockingStub start(Tracing tracing, String traceparent)
      throws IOException {
    this.tracing = tracing;
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(new Service(), tracing.serverInterceptor()))
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    InferenceGrpc.InferenceBlockingStub stub = InferenceGrpc.newBlockingStub(channel);
    if (traceparent.isEmpty()) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(TRACEPARENT, traceparent);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static Tracing recording(InMemorySpanExporter exporter, double ratio) {
    return Tracing.recordingTo(
        SimpleSpanProcessor.create(exporter), ratio, "meridian-test", Attributes.empty());
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (tracing != null) {
      tracing.close();
    }
  }

  @Test
  void aCallersSampledTraceIsContinuedByTheServerSpanAndPassedOn() throws IOException {
    InferenceGrpc.InferenceBlockingStub stub =
        start(recording(exported, 0), "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");

    stub.predict(PredictRequest.newBuilder().setModelName("ok").build());

    List<SpanData> spans = exported.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    SpanData span = spans.get(0);
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getName()).isEqualTo("meridian.inference.v1.Inference/Predict");
    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.getParentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(span.getAttributes().get(TracingServerInterceptor.GRPC_STATUS)).isEqualTo(0L);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(seenTraceId).hasValue(TRACE_ID);
    assertThat(passedOn.get().get(TRACEPARENT))
        .as("what a call from inside passes on: this trace, with the server span as parent")
        .isEqualTo("00-" + TRACE_ID + "-" + span.getSpanId() + "-01");
  }

  @Test
  void statusesThatBlameTheServerMarkTheSpanAnErrorAndCallerErrorsDoNot() throws IOException {
    InferenceGrpc.InferenceBlockingStub stub = start(recording(exported, 1), "");

    for (String failure : List.of("UNAVAILABLE", "INVALID_ARGUMENT")) {
      catchThrowableOfType(
          StatusRuntimeException.class,
          () -> stub.predict(PredictRequest.newBuilder().setModelName(failure).build()));
    }

    List<SpanData> spans = exported.getFinishedSpanItems();
    assertThat(spans).hasSize(2);
    assertThat(spans.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(spans.get(0).getAttributes().get(TracingServerInterceptor.GRPC_STATUS))
        .isEqualTo((long) Status.Code.UNAVAILABLE.value());
    assertThat(spans.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(spans.get(0).getParentSpanContext().isValid()).as("a new trace").isFalse();
  }

  @Test
  void aCallWithoutASampledTraceIsRecordedAtTheSampleRatio() throws IOException {
    InferenceGrpc.InferenceBlockingStub stub =
        start(recording(exported, 1), "00-" + TRACE_ID + "-" + CALLER_SPAN + "-00");

    stub.predict(PredictRequest.newBuilder().setModelName("ok").build());

    assertThat(exported.getFinishedSpanItems()).as("the caller decided: not sampled").isEmpty();
    assertThat(seenTraceId).hasValue(TRACE_ID);
  }

  @Test
  void offRecordsNothingAndPassesTheCallersContextOnUnchanged() throws IOException {
    String traceparent = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";
    InferenceGrpc.InferenceBlockingStub stub = start(Tracing.off(), traceparent);

    stub.predict(PredictRequest.newBuilder().setModelName("ok").build());

    assertThat(tracing.recording()).isFalse();
    assertThat(seenTraceId).hasValue(TRACE_ID);
    assertThat(passedOn.get().get(TRACEPARENT)).isEqualTo(traceparent);
  }

  @Test
  void offWithoutACallersContextPassesNothingOn() throws IOException {
    InferenceGrpc.InferenceBlockingStub stub = start(Tracing.off(), "");

    stub.predict(PredictRequest.newBuilder().setModelName("ok").build());

    assertThat(seenTraceId).hasValue("");
    assertThat(passedOn.get().keys()).isEmpty();
  }
}
