package dev.meridian.agent.model.onnx;

import static dev.meridian.agent.model.onnx.OnnxModelWriter.FLOAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.agent.model.ModelType;
import dev.meridian.agent.replica.ReplicaIdentity;
import dev.meridian.agent.replica.ReplicaServer;
import dev.meridian.agent.replica.ServedModel;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ONNX model served by a replica over a real gRPC socket. */
class OnnxReplicaServingTest {
  @TempDir Path dir;

  @Test
  void servesTheOnnxModelsOutputsAndRejectsBadTensors() throws Exception {
    // y = x W^T + b over 2 features and 1 output, with a dynamic batch.
    Path file =
        new OnnxModelWriter()
            .input("x", FLOAT, "batch", 2)
            .floatInitializer("W", new long[] {1, 2}, 3f, -2f)
            .floatInitializer("b", new long[] {1}, 0.5f)
            .node("Gemm", List.of("x", "W", "b"), List.of("y"), Map.of("transB", 1L))
            .output("y", FLOAT, "batch", 1)
            .writeTo(dir.resolve("linear.onnx"));
    ReplicaServer replica =
        ReplicaServer.builder(new ReplicaIdentity("eu-west", "eu-west-linear-0"))
            .model(ServedModel.primary(ModelType.ONNX, OnnxModelLoader.load(file, "linear", "4")))
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", replica.port()).usePlaintext().build();
    try {
      var stub = InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);

      PredictResponse response = stub.predict(request(List.of(2L, 2L), 1f, 2f, -0.5f, 0.25f));

      assertThat(response.getModelName()).isEqualTo("linear");
      assertThat(response.getModelVersion()).isEqualTo("4");
      Tensor y = response.getOutputs(0);
      assertThat(y.getName()).isEqualTo("y");
      assertThat(y.getShapeList()).containsExactly(2L, 1L);
      // Computed by hand: 3*1 - 2*2 + 0.5 and 3*(-0.5) - 2*0.25 + 0.5.
      assertThat(y.getContents().getFp32Contents(0)).isCloseTo(-0.5f, within(1e-6f));
      assertThat(y.getContents().getFp32Contents(1)).isCloseTo(-1.5f, within(1e-6f));

      Status badShape =
          catchThrowableOfType(
                  StatusRuntimeException.class,
                  () -> stub.predict(request(List.of(1L, 3L), 1f, 2f, 3f)))
              .getStatus();
      assertThat(badShape.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(badShape.getDescription()).contains("has shape [1, 3]").contains("x FP32[-1, 2]");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      replica.close();
      replica.models().forEach(model -> model.answering().close());
    }
  }

  private static PredictRequest request(List<Long> shape, float... values) {
    TensorContents.Builder contents = TensorContents.newBuilder();
    for (float value : values) {
      contents.addFp32Contents(value);
    }
    return PredictRequest.newBuilder()
        .setModelName("linear")
        .addInputs(
            Tensor.newBuilder()
                .setName("x")
                .setDatatype(DataType.DATA_TYPE_FP32)
                .addAllShape(shape)
                .setContents(contents))
        .build();
  }
}
