package dev.meridian.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.model.LinearModel;
import dev.meridian.agent.replica.ReplicaServer;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServingPath;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole Predict path over real sockets: client, gateway, replicas in two regions. */
class GatewayServerTest {
  private RegionAgent euWest;
  private RegionAgent usEast;
  private GatewayServer gateway;
  private ManagedChannel channel;
  private InferenceGrpc.InferenceBlockingStub stub;

  private static LinearModel doubler() {
    return new LinearModel(
        "doubler",
        "2",
        LinearModel.Activation.IDENTITY,
        "x",
        "y",
        new float[][] {{2f}},
        new float[] {0f});
  }

  private static List<InetSocketAddress> addresses(RegionAgent agent) {
    return agent.replicas().stream()
        .map(replica -> new InetSocketAddress("127.0.0.1", replica.port()))
        .toList();
  }

  private static PredictRequest request(float... values) {
    return PredictRequest.newBuilder()
        .setModelName("doubler")
        .addInputs(
            Tensor.newBuilder()
                .setName("x")
                .setDatatype(DataType.DATA_TYPE_FP32)
                .addShape(values.length)
                .addShape(1)
                .setContents(fp32(values)))
        .build();
  }

  private static TensorContents fp32(float... values) {
    TensorContents.Builder contents = TensorContents.newBuilder();
    for (float value : values) {
      contents.addFp32Contents(value);
    }
    return contents.build();
  }

  @BeforeEach
  void start() {
    euWest = RegionAgent.start("eu-west", List.of(doubler()), 2, 0, 16);
    usEast = RegionAgent.start("us-east", List.of(doubler()), 2, 0, 16);
    gateway =
        GatewayServer.start(
            GatewayConfig.builder()
                .port(0)
                .region("eu-west")
                .upstream("eu-west", addresses(euWest))
                .upstream("us-east", addresses(usEast))
                .model("doubler")
                .build());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    stub = InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    gateway.close();
    euWest.close();
    usEast.close();
  }

  @Test
  void callsAreServedByTheHomeRegionWithRealModelOutputs() {
    PredictResponse response = stub.predict(request(1.5f, -4f));

    assertThat(response.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(3f, -8f);
    assertThat(response.getModelVersion()).isEqualTo("2");
    assertThat(response.getRequestId()).isNotEmpty();
    assertThat(response.getServedBy().getRegion()).isEqualTo("eu-west");
    assertThat(response.getServedBy().getReplica()).startsWith("eu-west-");
    assertThat(response.getServedBy().getPath()).isEqualTo(ServingPath.SERVING_PATH_PRIMARY);
  }

  @Test
  void callsMoveToTheOtherRegionWhenTheHomeRegionsReplicasStop() {
    euWest.replicas().forEach(ReplicaServer::close);

    for (int i = 0; i < 4; i++) {
      PredictResponse response = stub.predict(request(1f));
      assertThat(response.getServedBy().getRegion()).isEqualTo("us-east");
      assertThat(response.getServedBy().getPath()).isEqualTo(ServingPath.SERVING_PATH_RETRY);
      assertThat(response.getServedBy().getReason()).startsWith("eu-west");
      assertThat(response.getOutputs(0).getContents().getFp32Contents(0)).isEqualTo(2f);
    }
  }

  @Test
  void badInputIsRejectedWithADescriptionAndTheGatewayKeepsServing() {
    PredictRequest unknownModel = request(1f).toBuilder().setModelName("tripler").build();
    PredictRequest malformed =
        request(1f).toBuilder()
            .setInputs(0, request(1f).getInputs(0).toBuilder().addShape(5))
            .build();
    PredictRequest wrongInput =
        request(1f).toBuilder()
            .setInputs(0, request(1f).getInputs(0).toBuilder().setName("z"))
            .build();
    PredictRequest noModel = request(1f).toBuilder().clearModelName().build();

    assertThat(failure(unknownModel).getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(failure(unknownModel).getDescription()).contains("'tripler'").contains("[doubler]");
    assertThat(failure(malformed).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(failure(malformed).getDescription()).contains("needs 5 FP32 values, got 1");
    assertThat(failure(wrongInput).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(failure(wrongInput).getDescription()).contains("requires input x FP32[-1, 1]");
    assertThat(failure(noModel).getDescription()).isEqualTo("model_name is required");

    assertThat(stub.predict(request(2f)).getOutputs(0).getContents().getFp32Contents(0))
        .isEqualTo(4f);
  }

  @Test
  void reportsServingOnGrpcHealth() {
    var health = HealthGrpc.newBlockingStub(channel);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  private Status failure(PredictRequest request) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub.predict(request));
    assertThat(e).as("expected the call to fail").isNotNull();
    return e.getStatus();
  }
}
