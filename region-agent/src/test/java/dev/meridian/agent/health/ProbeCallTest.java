package dev.meridian.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.agent.testing.TestModels;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import dev.meridian.proto.oip.v2.ModelInferRequest;
import dev.meridian.proto.oip.v2.ModelInferResponse;
import dev.meridian.proto.oip.v2.ModelReadyRequest;
import dev.meridian.proto.oip.v2.ModelReadyResponse;
import dev.meridian.registry.ReplicaProtocol;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OIP probe: ModelReady for the canary's model and version, then the canary as ModelInfer. */
class ProbeCallTest {
  private final List<ModelReadyRequest> readyCalls = new ArrayList<>();
  private final List<ModelInferRequest> inferCalls = new ArrayList<>();
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private void serve(boolean ready) throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                new GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase() {
                  @Override
                  public void modelReady(
                      ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
                    readyCalls.add(request);
                    observer.onNext(ModelReadyResponse.newBuilder().setReady(ready).build());
                    observer.onCompleted();
                  }

                  @Override
                  public void modelInfer(
                      ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
                    inferCalls.add(request);
                    observer.onNext(ModelInferResponse.getDefaultInstance());
                    observer.onCompleted();
                  }
                })
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  private static PredictRequest canary() {
    return TestModels.adderRequest(0f, 0f).toBuilder().setModelVersion("1").build();
  }

  private static Deadline soon() {
    return Deadline.after(5, TimeUnit.SECONDS);
  }

  @Test
  void aReadyModelIsProbedWithTheCanaryAsModelInfer() throws Exception {
    serve(true);

    ProbeCall.of(ReplicaProtocol.OIP, canary()).call(channel, soon());

    assertThat(readyCalls)
        .containsExactly(ModelReadyRequest.newBuilder().setName("adder").setVersion("1").build());
    assertThat(inferCalls).hasSize(1);
    assertThat(inferCalls.get(0).getModelName()).isEqualTo("adder");
    assertThat(inferCalls.get(0).getInputs(0).getName()).isEqualTo("features");
    assertThat(inferCalls.get(0).getInputs(0).getContents().getFp32ContentsList())
        .containsExactly(0f, 0f);
  }

  @Test
  void aModelThatIsNotReadyFailsTheProbeWithoutInferring() throws Exception {
    serve(false);

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> ProbeCall.of(ReplicaProtocol.OIP, canary()).call(channel, soon()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("ModelReady: model 'adder' version '1' is not ready");
    assertThat(inferCalls).isEmpty();
  }
}
