package dev.meridian.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.testing.ReflectedCall;
import dev.meridian.core.testing.ReflectedServices;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code listen.reflection}: what grpcurl needs to call the gateway without the proto files. */
class GatewayDebugServicesTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final GatewayFixture fixture = new GatewayFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  /** A gateway with reflection on or off, serving model m from one eu-west replica. */
  private void startGateway(boolean reflection) {
    fixture.replica("eu-west", "m");
    fixture.table("m", 100, 0);
    fixture.startGateway(dir.resolve("lkg.json"), config -> config.reflection(reflection));
    await().atMost(BOUND).until(() -> fixture.health() == ServingStatus.SERVING);
  }

  @Test
  void withReflectionOnTheGatewayListsItsServices() throws Exception {
    startGateway(true);

    assertThat(ReflectedServices.of(fixture.channel).get(5, TimeUnit.SECONDS))
        .contains(
            "meridian.inference.v1.Inference",
            "inference.GRPCInferenceService",
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection",
            "grpc.channelz.v1.Channelz");
  }

  @Test
  void aCallerWithoutTheProtoFilesCallsPredictThroughReflection() throws Exception {
    startGateway(true);

    String answer =
        ReflectedCall.invoke(
            fixture.channel,
            "meridian.inference.v1.Inference/Predict",
            """
            {"modelName": "m", "inputs": [{"name": "features", "datatype": "DATA_TYPE_FP32",
              "shape": [1, 2], "contents": {"fp32Contents": [1, 2]}}]}
            """);

    assertThat(answer)
        .contains("\"modelName\": \"m\"")
        .contains("\"region\": \"eu-west\"")
        .contains("\"path\": \"SERVING_PATH_PRIMARY\"");
  }

  @Test
  void withoutReflectionTheGatewayHasNone() throws Exception {
    startGateway(false);

    assertThat(ReflectedServices.of(fixture.channel))
        .failsWithin(BOUND)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }
}
