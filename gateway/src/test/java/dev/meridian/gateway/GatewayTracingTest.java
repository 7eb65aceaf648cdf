package dev.meridian.gateway;

import static dev.meridian.gateway.GatewayFixture.EU;
import static dev.meridian.gateway.GatewayFixture.MODEL;
import static dev.meridian.gateway.GatewayFixture.US;
import static dev.meridian.gateway.GatewayFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.tracing.Tracing;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.ServingPath;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call's trace through a real gateway: the caller's context in, a span per attempt, out to the
 * replica.
 */
class GatewayTracingTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";
  private static final Metadata.Key<String> TRACEPARENT =
      Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir Path dir;
  private final GatewayFixture fixture = new GatewayFixture();
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();

  @AfterEach
  void close() {
    fixture.close();
  }

  private void start(Tracing tracing, int replicas) {
    fixture.startGateway(dir.resolve("lkg.json"), config -> config, tracing);
    await().atMost(BOUND).until(() -> fixture.health() == ServingStatus.SERVING);
    await().atMost(BOUND).until(() -> fixture.seesReplicas(replicas));
  }

  private Tracing recording() {
    return Tracing.recordingTo(
        SimpleSpanProcessor.create(exported), 1, "meridian-gateway", Attributes.empty());
  }

  private static InferenceGrpc.InferenceBlockingStub tracedBy(
      InferenceGrpc.InferenceBlockingStub stub, String traceparent) {
    Metadata headers = new Metadata();
    headers.put(TRACEPARENT, traceparent);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private List<SpanData> spansOf(SpanKind kind) {
    return exported.getFinishedSpanItems().stream().filter(span -> span.getKind() == kind).toList();
  }

  @Test
  void aCallersTraceRunsThroughTheGatewaysSpansToTheReplica() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    fixture.table(MODEL, 100, 0);
    start(recording(), 1);

    tracedBy(fixture.stub(), "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01").predict(request(MODEL));

    List<SpanData> calls = spansOf(SpanKind.SERVER);
    assertThat(calls).hasSize(1);
    SpanData call = calls.get(0);
    assertThat(call.getName()).isEqualTo("meridian.inference.v1.Inference/Predict");
    assertThat(call.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(call.getParentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(call.getAttributes().get(AttributeKey.stringKey("meridian.model"))).isEqualTo(MODEL);
    assertThat(call.getAttributes().get(AttributeKey.stringKey("meridian.outcome")))
        .isEqualTo("PRIMARY");
    assertThat(call.getAttributes().get(AttributeKey.longKey("meridian.attempts"))).isEqualTo(1L);

    List<SpanData> attempts = spansOf(SpanKind.CLIENT);
    assertThat(attempts).hasSize(1);
    SpanData attempt = attempts.get(0);
    assertThat(attempt.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(attempt.getParentSpanId()).isEqualTo(call.getSpanId());
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("meridian.region")))
        .isEqualTo(EU);
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("meridian.replica")))
        .isEqualTo(eu.id);
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("meridian.outcome")))
        .isEqualTo("answered");
    assertThat(attempt.getAttributes().get(AttributeKey.longKey("rpc.grpc.status_code")))
        .isEqualTo(0L);
    assertThat(eu.traceparents)
        .as("the replica is called in the attempt's span")
        .containsExactly("00-" + TRACE_ID + "-" + attempt.getSpanId() + "-01");
  }

  @Test
  void aRetriedCallHasASpanPerAttemptWithItsRegionAndOutcome() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    ScriptedReplica us = fixture.replica(US, MODEL);
    fixture.table(MODEL, 1_000_000, 1);
    start(recording(), 2);
    eu.fail(Status.UNAVAILABLE.withDescription("connection refused"));

    assertThat(fixture.stub().predict(request(MODEL)).getServedBy().getPath())
        .isEqualTo(ServingPath.SERVING_PATH_RETRY);

    SpanData call = spansOf(SpanKind.SERVER).get(0);
    assertThat(call.getParentSpanContext().isValid())
        .as("no caller context: a new trace")
        .isFalse();
    assertThat(call.getAttributes().get(AttributeKey.stringKey("meridian.outcome")))
        .isEqualTo("RETRY");
    List<SpanData> attempts = spansOf(SpanKind.CLIENT);
    assertThat(attempts)
        .extracting(span -> span.getAttributes().get(AttributeKey.stringKey("meridian.region")))
        .containsExactly(EU, US);
    SpanData failed = attempts.get(0);
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getAttributes().get(AttributeKey.longKey("rpc.grpc.status_code")))
        .isEqualTo((long) Status.Code.UNAVAILABLE.value());
    assertThat(failed.getAttributes().get(AttributeKey.stringKey("meridian.outcome")))
        .contains(EU)
        .contains("UNAVAILABLE connection refused");
    assertThat(attempts)
        .extracting(span -> span.getAttributes().get(AttributeKey.longKey("meridian.attempt")))
        .containsExactly(1L, 2L);
    assertThat(attempts).allMatch(span -> span.getParentSpanId().equals(call.getSpanId()));
    assertThat(us.traceparents).singleElement().asString().contains(call.getTraceId());
  }

  @Test
  void offPassesTheCallersContextToTheReplicaAndAddsNoneOfItsOwn() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    fixture.table(MODEL, 100, 0);
    start(Tracing.off(), 1);
    String traceparent = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";

    tracedBy(fixture.stub(), traceparent).predict(request(MODEL));
    fixture.stub().predict(request(MODEL));

    assertThat(eu.traceparents).containsExactly(traceparent, "");
  }
}
