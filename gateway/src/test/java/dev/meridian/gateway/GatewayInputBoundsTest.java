package dev.meridian.gateway;

import static dev.meridian.gateway.GatewayFixture.EU;
import static dev.meridian.gateway.GatewayFixture.MODEL;
import static dev.meridian.gateway.GatewayFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.testing.LogCapture;
import dev.meridian.core.tracing.Tracing;
import dev.meridian.gateway.call.ModelPolicy;
import dev.meridian.gateway.call.PredictPipeline;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caller text through a real gateway: oversized names answered INVALID_ARGUMENT, briefly; a
 * degraded answer logged with the call's request id (bounded, on one line), model, region and
 * trace.
 */
class GatewayInputBoundsTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final Metadata.Key<String> TRACEPARENT =
      Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir Path dir;
  private final GatewayFixture fixture = new GatewayFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  private Status failure(PredictRequest request) {
    return catchThrowableOfType(StatusRuntimeException.class, () -> fixture.stub().predict(request))
        .getStatus();
  }

  @Test
  void aTenKilobyteModelNameIsInvalidArgumentWithAShortDescription() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    fixture.table(MODEL, 100, 0);
    fixture.startGateway(dir.resolve("lkg.json"), config -> config);
    await().atMost(BOUND).until(() -> fixture.health() == ServingStatus.SERVING);

    Status status = failure(request("m".repeat(10_000)));

    assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .contains("model_name")
        .contains("is not a model name (expected: 1 to 128")
        .contains("10000 chars")
        .hasSizeLessThan(300);
    assertThat(eu.calls).as("rejected before any region").hasValue(0);
  }

  @Test
  void aDegradedAnswerIsLoggedWithTheCallsRequestIdModelRegionAndTrace() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    fixture.table(MODEL, 100, 0);
    Tensor output =
        Tensor.newBuilder()
            .setName("score")
            .setDatatype(DataType.DATA_TYPE_FP32)
            .setContents(TensorContents.newBuilder().addFp32Contents(0f))
            .build();
    fixture.startGateway(
        dir.resolve("lkg.json"),
        config ->
            config.model(new ModelPolicy(MODEL, Optional.empty(), Optional.of(List.of(output)))),
        Tracing.recordingTo(
            SimpleSpanProcessor.create(InMemorySpanExporter.create()),
            1,
            "meridian-gateway",
            Attributes.empty()));
    await().atMost(BOUND).until(() -> fixture.health() == ServingStatus.SERVING);
    eu.fail(Status.UNAVAILABLE.withDescription("model crashed"));

    try (LogCapture log = LogCapture.of(PredictPipeline.class)) {
      Metadata headers = new Metadata();
      headers.put(TRACEPARENT, "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
      fixture
          .stub()
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .predict(request(MODEL).toBuilder().setRequestId("r1\"\nevent=forged").build());

      assertThat(log.events("degraded_answer"))
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line.fields())
                      .containsEntry("request_id", "r1\"\\nevent=forged")
                      .containsEntry("model", MODEL)
                      .as("the gateway's own region gave the default response")
                      .containsEntry("region", EU)
                      .containsEntry("trace_id", TRACE_ID)
                      .containsEntry("path", "DEFAULT_RESPONSE"));
    }
  }
}
