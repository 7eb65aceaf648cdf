package dev.meridian.agent.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.util.Durations;
import dev.meridian.agent.replica.ReplicaIdentity;
import dev.meridian.agent.replica.ReplicaServer;
import dev.meridian.agent.replica.ServedModel;
import dev.meridian.agent.testing.TestModels;
import dev.meridian.proto.agent.v1.ClearFaultsRequest;
import dev.meridian.proto.agent.v1.CrashRequest;
import dev.meridian.proto.agent.v1.FaultInjectionGrpc;
import dev.meridian.proto.agent.v1.SetFaultsRequest;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultInjectionServiceTest {
  private final AtomicInteger crashes = new AtomicInteger();
  private ReplicaServer replica;
  private ManagedChannel channel;

  private void start(boolean enabled) {
    FaultInjector faults = new FaultInjector(new SplittableRandom(1));
    replica =
        ReplicaServer.builder(new ReplicaIdentity("eu-west", "r-0"))
            .model(ServedModel.primary(new FaultInjectingModel(TestModels.adder(), faults, "r-0")))
            .service(new FaultInjectionService("r-0", enabled, faults, crashes::incrementAndGet))
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", replica.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    replica.close();
  }

  private FaultInjectionGrpc.FaultInjectionBlockingStub faults() {
    return FaultInjectionGrpc.newBlockingStub(channel);
  }

  private static Status failure(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus();
  }

  @Test
  void refusedUnlessEnabledInConfig() {
    start(false);

    for (Status status :
        new Status[] {
          failure(
              () ->
                  faults().setFaults(SetFaultsRequest.newBuilder().setFailureFraction(1).build())),
          failure(() -> faults().clearFaults(ClearFaultsRequest.getDefaultInstance())),
          failure(() -> faults().crash(CrashRequest.getDefaultInstance()))
        }) {
      assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(status.getDescription())
          .isEqualTo("fault injection is disabled (set faults.enabled: true in the agent config)");
    }
    assertThat(crashes).hasValue(0);
    assertThat(
            InferenceGrpc.newBlockingStub(channel)
                .predict(TestModels.adderRequest(1f, 1f))
                .getOutputsCount())
        .isEqualTo(1);
  }

  @Test
  void failsCallsWithTheChosenStatusUntilCleared() {
    start(true);
    var inference = InferenceGrpc.newBlockingStub(channel);

    var state =
        faults()
            .setFaults(
                SetFaultsRequest.newBuilder()
                    .setFailureFraction(1)
                    .setFailureCode("INTERNAL")
                    .build());
    assertThat(state.getReplica()).isEqualTo("r-0");
    Status status = failure(() -> inference.predict(TestModels.adderRequest(1f, 1f)));
    assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.getDescription()).contains("injected fault on replica r-0");

    faults().setFaults(SetFaultsRequest.newBuilder().setFailureFraction(1).build());
    assertThat(failure(() -> inference.predict(TestModels.adderRequest(1f, 1f))).getCode())
        .as("the default failure code")
        .isEqualTo(Status.Code.UNAVAILABLE);

    faults().clearFaults(ClearFaultsRequest.getDefaultInstance());
    assertThat(inference.predict(TestModels.adderRequest(1f, 1f)).getOutputsCount()).isEqualTo(1);
  }

  @Test
  void addsLatencyToEveryCall() {
    start(true);
    faults()
        .setFaults(
            SetFaultsRequest.newBuilder().setAddedLatency(Durations.fromMillis(200)).build());

    long start = System.nanoTime();
    InferenceGrpc.newBlockingStub(channel).predict(TestModels.adderRequest(1f, 1f));
    assertThat(System.nanoTime() - start)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
  }

  @Test
  void crashRunsTheReplicasCrashAction() {
    start(true);
    faults().crash(CrashRequest.newBuilder().setReason("game day").build());
    // The replica crashes after it has answered, so the answer can arrive first.
    await().atMost(Duration.ofSeconds(5)).untilAtomic(crashes, equalTo(1));
  }

  @Test
  void badSettingsAreInvalidAndNameTheField() {
    start(true);
    Status fraction =
        failure(
            () -> faults().setFaults(SetFaultsRequest.newBuilder().setFailureFraction(2).build()));
    Status code =
        failure(
            () -> faults().setFaults(SetFaultsRequest.newBuilder().setFailureCode("OK").build()));
    Status unknown =
        failure(
            () ->
                faults().setFaults(SetFaultsRequest.newBuilder().setFailureCode("BROKEN").build()));

    assertThat(fraction.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(fraction.getDescription()).isEqualTo("failure_fraction: 2.0 (expected: 0..1)");
    assertThat(code.getDescription()).startsWith("failure_code: OK");
    assertThat(unknown.getDescription()).startsWith("failure_code: 'BROKEN'");
  }
}
