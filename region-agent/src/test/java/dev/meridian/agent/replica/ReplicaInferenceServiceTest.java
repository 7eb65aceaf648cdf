package dev.meridian.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.model.LinearModel;
import dev.meridian.agent.model.ModelType;
import dev.meridian.agent.testing.TestModels;
import dev.meridian.core.Ticker;
import dev.meridian.core.metrics.BucketHistogram;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicaInferenceServiceTest {
  private final ConcurrencyLimit limit = new ConcurrencyLimit(1);
  private final MetricRegistry metrics = new MetricRegistry();
  private Server server;
  private ManagedChannel channel;
  private InferenceGrpc.InferenceBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                new ReplicaInferenceService(
                    new ReplicaServing(
                        new ReplicaIdentity("eu-west", "eu-west-0"),
                        List.of(
                            ServedModel.primary(ModelType.BUILTIN, TestModels.adder()),
                            ServedModel.fallback(
                                "risk", "3", fallbackModel(), "risk.onnx: broken")),
                        limit,
                        metrics,
                        Ticker.SYSTEM)))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = InferenceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private Status failure(PredictRequest request) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub.predict(request));
    assertThat(e).as("expected the call to fail").isNotNull();
    return e.getStatus();
  }

  @Test
  void answersWithOutputsAndIdentity() {
    PredictResponse response = stub.predict(TestModels.adderRequest(3f, 4f));

    assertThat(response.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(12f);
    assertThat(response.getModelVersion()).isEqualTo("1");
    assertThat(response.getRequestId()).isEqualTo("test");
    assertThat(response.getServedBy().getRegion()).isEqualTo("eu-west");
    assertThat(response.getServedBy().getReplica()).isEqualTo("eu-west-0");
  }

  /** Takes the adder's input and answers 0. */
  private static LinearModel fallbackModel() {
    return new LinearModel(
        "risk-fallback",
        "9",
        LinearModel.Activation.IDENTITY,
        "features",
        "sum",
        new float[][] {{0f, 0f}},
        new float[] {0f});
  }

  @Test
  void aFallbackAnswersUnderItsOwnNameForTheConfiguredModel() {
    PredictResponse response =
        stub.predict(
            TestModels.adderRequest(3f, 4f).toBuilder()
                .setModelName("risk")
                .setModelVersion("3")
                .build());

    assertThat(response.getModelName()).isEqualTo("risk-fallback");
    assertThat(response.getModelVersion()).isEqualTo("9");
    assertThat(response.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(0f);
  }

  @Test
  void recordsLatencyAndErrorsPerModel() {
    stub.predict(TestModels.adderRequest(3f, 4f));
    failure(TestModels.adderRequest(1f, 1f).toBuilder().setModelVersion("9").build());

    assertThat(
            BucketHistogram.latency(
                    metrics, "replica.call.duration.seconds{model=adder,replica=eu-west-0}")
                .getCount())
        .isEqualTo(2);
    assertThat(
            metrics
                .counter("replica.errors{code=NOT_FOUND,model=adder,replica=eu-west-0}")
                .getCount())
        .isEqualTo(1);
    assertThat(metrics.getGauges()).containsKey("replica.in_flight{model=adder,replica=eu-west-0}");
  }

  @Test
  void unknownModelIsNotFound() {
    Status status =
        failure(TestModels.adderRequest(1f, 1f).toBuilder().setModelName("nope").build());
    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).contains("'nope'").contains("[adder, risk]");
  }

  @Test
  void unknownVersionIsNotFound() {
    Status status =
        failure(TestModels.adderRequest(1f, 1f).toBuilder().setModelVersion("9").build());
    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).contains("version '9'");
  }

  @Test
  void inputsThatDoNotFitTheSignatureAreInvalid() {
    PredictRequest request = TestModels.adderRequest(1f, 1f);
    PredictRequest wrongName =
        request.toBuilder().setInputs(0, request.getInputs(0).toBuilder().setName("x")).build();
    PredictRequest wrongShape =
        request.toBuilder()
            .setInputs(
                0, request.getInputs(0).toBuilder().clearShape().addShape(2).addShape(1).build())
            .build();
    PredictRequest wrongType =
        request.toBuilder()
            .setInputs(
                0,
                request.getInputs(0).toBuilder()
                    .setDatatype(DataType.DATA_TYPE_INT64)
                    .setContents(
                        request.getInputs(0).getContents().toBuilder()
                            .clearFp32Contents()
                            .addInt64Contents(1)
                            .addInt64Contents(2))
                    .build())
            .build();

    assertThat(failure(wrongName).getDescription())
        .isEqualTo("model 'adder' has no input named 'x'; its inputs are [features FP32[-1, 2]]");
    assertThat(failure(wrongShape).getDescription()).contains("has shape [2, 1]");
    assertThat(failure(wrongType).getDescription()).contains("has datatype INT64");
    assertThat(failure(wrongType).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void malformedTensorIsInvalid() {
    PredictRequest request = TestModels.adderRequest(1f, 1f);
    PredictRequest malformed =
        request.toBuilder()
            .setInputs(0, request.getInputs(0).toBuilder().addShape(3).build())
            .build();
    Status status = failure(malformed);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("needs 6 FP32 values, got 2");
  }

  @Test
  void fullReplicaRefusesWithResourceExhausted() {
    limit.acquire("holder");
    try {
      Status status = failure(TestModels.adderRequest(1f, 1f));
      assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(status.getDescription()).contains("limit of 1 concurrent calls");
    } finally {
      limit.release();
    }
    assertThat(stub.predict(TestModels.adderRequest(1f, 1f)).getOutputsCount()).isEqualTo(1);
  }
}
