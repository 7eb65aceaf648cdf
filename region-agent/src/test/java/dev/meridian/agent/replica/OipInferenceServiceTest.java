package dev.meridian.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.ByteString;
import dev.meridian.agent.model.ModelType;
import dev.meridian.agent.testing.TestModels;
import dev.meridian.core.Ticker;
import dev.meridian.core.metrics.BucketHistogram;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import dev.meridian.proto.oip.v2.InferTensorContents;
import dev.meridian.proto.oip.v2.ModelInferRequest;
import dev.meridian.proto.oip.v2.ModelInferRequest.InferInputTensor;
import dev.meridian.proto.oip.v2.ModelInferRequest.InferRequestedOutputTensor;
import dev.meridian.proto.oip.v2.ModelInferResponse;
import dev.meridian.proto.oip.v2.ModelMetadataRequest;
import dev.meridian.proto.oip.v2.ModelMetadataResponse;
import dev.meridian.proto.oip.v2.ModelMetadataResponse.TensorMetadata;
import dev.meridian.proto.oip.v2.ModelReadyRequest;
import dev.meridian.proto.oip.v2.ServerLiveRequest;
import dev.meridian.proto.oip.v2.ServerMetadataRequest;
import dev.meridian.proto.oip.v2.ServerMetadataResponse;
import dev.meridian.proto.oip.v2.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Open Inference Protocol on a replica, over a real gRPC socket beside Predict. */
class OipInferenceServiceTest {
  private final MetricRegistry metrics = new MetricRegistry();
  private ReplicaServer replica;
  private ManagedChannel channel;
  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

  @BeforeEach
  void start() {
    replica =
        ReplicaServer.builder(new ReplicaIdentity("eu-west", "eu-west-adder-0"))
            .model(ServedModel.primary(ModelType.BUILTIN, TestModels.adder()))
            .metrics(metrics, Ticker.SYSTEM)
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", replica.port()).usePlaintext().build();
    stub =
        GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    replica.close();
  }

  private Status failure(ModelInferRequest request) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub.modelInfer(request));
    assertThat(e).as("expected the call to fail").isNotNull();
    return e.getStatus();
  }

  @Test
  void isLiveAndReady() {
    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
  }

  @Test
  void aReplicaThatCannotServeIsLiveButNeitherItNorItsModelIsReady() throws Exception {
    ReplicaServing serving =
        new ReplicaServing(
            new ReplicaIdentity("eu-west", "eu-west-adder-1"),
            List.of(ServedModel.primary(ModelType.BUILTIN, TestModels.adder())),
            new ConcurrencyLimit(1),
            metrics,
            Ticker.SYSTEM);
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new OipInferenceService(serving, () -> false))
            .build()
            .start();
    ManagedChannel notReady = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      var closing = GRPCInferenceServiceGrpc.newBlockingStub(notReady);
      assertThat(closing.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
      assertThat(closing.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isFalse();
      assertThat(
              closing
                  .modelReady(ModelReadyRequest.newBuilder().setName("adder").build())
                  .getReady())
          .isFalse();
    } finally {
      notReady.shutdownNow();
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theServedModelIsReadyAtItsVersionOrAnyOtherModelIsNot() {
    assertThat(ready("adder", "")).isTrue();
    assertThat(ready("adder", "1")).isTrue();
    assertThat(ready("adder", "2")).isFalse();
    assertThat(ready("other", "")).isFalse();
  }

  private boolean ready(String name, String version) {
    return stub.modelReady(ModelReadyRequest.newBuilder().setName(name).setVersion(version).build())
        .getReady();
  }

  @Test
  void serverMetadataNamesTheReplicaServer() {
    ServerMetadataResponse metadata =
        stub.serverMetadata(ServerMetadataRequest.getDefaultInstance());

    assertThat(metadata.getName()).isEqualTo("meridian-replica");
    assertThat(metadata.getVersion()).isNotEmpty();
    assertThat(metadata.getExtensionsList()).isEmpty();
  }

  @Test
  void modelMetadataDescribesTheSignatureWithDynamicDimensionsAsMinusOne() {
    ModelMetadataResponse metadata =
        stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("adder").build());

    assertThat(metadata.getName()).isEqualTo("adder");
    assertThat(metadata.getVersionsList()).containsExactly("1");
    assertThat(metadata.getPlatform()).isEqualTo("meridian_builtin");
    assertThat(metadata.getInputsList())
        .containsExactly(tensor("features", "FP32", List.of(-1L, 2L)));
    assertThat(metadata.getOutputsList()).containsExactly(tensor("sum", "FP32", List.of(-1L, 1L)));
  }

  private static TensorMetadata tensor(String name, String datatype, List<Long> shape) {
    return TensorMetadata.newBuilder()
        .setName(name)
        .setDatatype(datatype)
        .addAllShape(shape)
        .build();
  }

  @Test
  void modelMetadataOfAnotherModelOrVersionIsNotFound() {
    StatusRuntimeException other =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("other").build()));
    assertThat(other.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(other.getStatus().getDescription()).contains("'other'").contains("[adder]");

    StatusRuntimeException version =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                stub.modelMetadata(
                    ModelMetadataRequest.newBuilder().setName("adder").setVersion("9").build()));
    assertThat(version.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void typedInputsGetTypedOutputsServedByTheReplicaAndCounted() {
    ModelInferResponse response = stub.modelInfer(typed(1f, 2f).build());

    assertThat(response.getModelName()).isEqualTo("adder");
    assertThat(response.getModelVersion()).isEqualTo("1");
    assertThat(response.getId()).isEqualTo("oip-1");
    assertThat(response.getRawOutputContentsCount()).isZero();
    assertThat(response.getOutputs(0).getName()).isEqualTo("sum");
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 1L);
    assertThat(response.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(6f);
    assertThat(response.getParametersMap().get("meridian.region").getStringParam())
        .isEqualTo("eu-west");
    assertThat(response.getParametersMap().get("meridian.replica").getStringParam())
        .isEqualTo("eu-west-adder-0");
    assertThat(
            BucketHistogram.latency(
                    metrics, "replica.call.duration.seconds{model=adder,replica=eu-west-adder-0}")
                .getCount())
        .isEqualTo(1);
  }

  @Test
  void rawInputsGetRawOutputs() {
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .setModelName("adder")
            .addInputs(
                InferInputTensor.newBuilder()
                    .setName("features")
                    .setDatatype("FP32")
                    .addAllShape(List.of(2L, 2L)))
            .addRawInputContents(floats(1f, 2f, 3f, 4f))
            .build();

    ModelInferResponse response = stub.modelInfer(request);

    assertThat(response.getOutputs(0).hasContents()).isFalse();
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(2L, 1L);
    // 1 + 2*2 + 1 and 3 + 2*4 + 1.
    assertThat(response.getRawOutputContentsList()).containsExactly(floats(6f, 12f));
  }

  @Test
  void theOutputsFilterSelectsAndRejectsOutputsByName() {
    ModelInferResponse selected =
        stub.modelInfer(
            typed(1f, 2f)
                .addOutputs(InferRequestedOutputTensor.newBuilder().setName("sum"))
                .build());
    assertThat(selected.getOutputsList()).extracting(o -> o.getName()).containsExactly("sum");

    Status unknown =
        failure(
            typed(1f, 2f)
                .addOutputs(InferRequestedOutputTensor.newBuilder().setName("product"))
                .build());
    assertThat(unknown.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(unknown.getDescription()).contains("'product'").contains("[sum]");
  }

  @Test
  void anUnknownModelIsNotFound() {
    Status status = failure(typed(1f, 2f).setModelName("other").build());

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).contains("'other'").contains("[adder]");
  }

  @Test
  void aBadShapeIsInvalidArgumentNamingTheTensor() {
    ModelInferRequest.Builder request = typed(1f, 2f, 3f);
    request.getInputsBuilder(0).clearShape().addAllShape(List.of(1L, 3L));

    Status status = failure(request.build());

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .contains("input 'features' has shape [1, 3]")
        .contains("features FP32[-1, 2]");
    assertThat(
            metrics
                .counter(
                    "replica.errors{code=INVALID_ARGUMENT,model=adder,replica=eu-west-adder-0}")
                .getCount())
        .isEqualTo(1);
  }

  @Test
  void contentsThatDoNotFitTheShapeAreInvalidArgumentNamingTheTensor() {
    ModelInferRequest.Builder request = typed(1f, 2f, 3f);

    Status status = failure(request.build());

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("'features'");
  }

  /** A typed request for the adder with one row of {@code values}, shaped [1, 2]. */
  private static ModelInferRequest.Builder typed(float... values) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float value : values) {
      contents.addFp32Contents(value);
    }
    return ModelInferRequest.newBuilder()
        .setModelName("adder")
        .setId("oip-1")
        .addInputs(
            InferInputTensor.newBuilder()
                .setName("features")
                .setDatatype("FP32")
                .addAllShape(List.of(1L, 2L))
                .setContents(contents));
  }

  private static ByteString floats(float... values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      bytes.putFloat(value);
    }
    bytes.flip();
    return ByteString.copyFrom(bytes);
  }
}
