package dev.meridian.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.model.ModelType;
import dev.meridian.agent.testing.TestModels;
import dev.meridian.core.tracing.Tracing;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A replica continues its caller's trace with a span of its own, labelled with what answered. */
class ReplicaTracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String ATTEMPT_SPAN = "00f067aa0ba902b7";

  @Test
  void aCallIsASpanOfTheCallersTraceNamingTheModel() throws InterruptedException {
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    ReplicaServer replica =
        ReplicaServer.builder(new ReplicaIdentity("us-east", "us-east-1"))
            .model(ServedModel.primary(ModelType.BUILTIN, TestModels.adder()))
            .tracing(
                Tracing.recordingTo(
                    SimpleSpanProcessor.create(exported),
                    0,
                    "meridian-replica",
                    Attributes.empty()))
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", replica.port()).usePlaintext().build();
    try {
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
          "00-" + TRACE_ID + "-" + ATTEMPT_SPAN + "-01");
      InferenceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .predict(TestModels.adderRequest(1f, 2f));
      assertSpan(exported.getFinishedSpanItems());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      replica.close(); // which also clears the exporter
    }
  }

  private static void assertSpan(List<SpanData> spans) {
    assertThat(spans).hasSize(1);
    SpanData span = spans.get(0);
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.getParentSpanId()).isEqualTo(ATTEMPT_SPAN);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("meridian.model")))
        .isEqualTo(TestModels.adder().name());
    assertThat(span.getAttributes().get(AttributeKey.stringKey("meridian.serving_path")))
        .as("the primary answered: no path of its own")
        .isNull();
  }
}
