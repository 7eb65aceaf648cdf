package dev.meridian.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

  @Test
  void withReflectionOnTheGatewayListsItsServices() throws Exception {
    fixture.replica("eu-west", "m");
    fixture.table("m", 100, 0);
    fixture.startGateway(dir.resolve("lkg.json"), config -> config.reflection(true));
    await().atMost(BOUND).until(() -> fixture.health() == ServingStatus.SERVING);

    assertThat(services().get(5, TimeUnit.SECONDS))
        .contains(
            "meridian.inference.v1.Inference",
            "inference.GRPCInferenceService",
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.channelz.v1.Channelz");
  }

  @Test
  void withoutReflectionTheGatewayHasNone() throws Exception {
    fixture.replica("eu-west", "m");
    fixture.table("m", 100, 0);
    fixture.startGateway(dir.resolve("lkg.json"), config -> config);
    await().atMost(BOUND).until(() -> fixture.health() == ServingStatus.SERVING);

    assertThat(services())
        .failsWithin(BOUND)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  /** The services the gateway lists through reflection. */
  private CompletableFuture<List<String>> services() {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(fixture.channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    names.complete(
                        response.getListServicesResponse().getServiceList().stream()
                            .map(ServiceResponse::getName)
                            .toList());
                  }

                  @Override
                  public void onError(Throwable error) {
                    names.completeExceptionally(error);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    return names;
  }
}
