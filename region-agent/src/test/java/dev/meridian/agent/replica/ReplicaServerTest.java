package dev.meridian.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.agent.model.ModelType;
import dev.meridian.agent.testing.TestModels;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplicaServerTest {
  @Test
  void servesPredictAndHealthOverARealSocketAndStopsGracefully() throws Exception {
    ReplicaServer replica =
        ReplicaServer.builder(new ReplicaIdentity("us-east", "us-east-1"))
            .model(ServedModel.primary(ModelType.BUILTIN, TestModels.adder()))
            .maxConcurrentCalls(4)
            .drainTimeout(Duration.ofSeconds(1))
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", replica.port()).usePlaintext().build();
    try {
      var health = HealthGrpc.newBlockingStub(channel);
      assertThat(
              health.check(HealthCheckRequest.newBuilder().setService("adder").build()).getStatus())
          .isEqualTo(ServingStatus.SERVING);
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
          .isEqualTo(ServingStatus.SERVING);

      var response =
          InferenceGrpc.newBlockingStub(channel).predict(TestModels.adderRequest(1f, 2f));
      assertThat(response.getOutputs(0).getContents().getFp32Contents(0)).isEqualTo(6f);
      assertThat(response.getServedBy().getReplica()).isEqualTo("us-east-1");
    } finally {
      replica.close();
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(replica.isTerminated()).isTrue();
  }

  @Test
  void anOversizedModelNameIsInvalidArgumentWithAShortDescription() throws Exception {
    ReplicaServer replica =
        ReplicaServer.builder(new ReplicaIdentity("us-east", "us-east-1"))
            .model(ServedModel.primary(ModelType.BUILTIN, TestModels.adder()))
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", replica.port()).usePlaintext().build();
    try {
      Status status =
          catchThrowableOfType(
                  StatusRuntimeException.class,
                  () ->
                      InferenceGrpc.newBlockingStub(channel)
                          .predict(
                              TestModels.adderRequest(1f, 2f).toBuilder()
                                  .setModelName("m".repeat(10_000))
                                  .build()))
              .getStatus();

      assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status.getDescription())
          .startsWith("model_name 'mmm")
          .contains("…(10000 chars)' is not a model name")
          .hasSizeLessThan(200);
    } finally {
      replica.close();
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
