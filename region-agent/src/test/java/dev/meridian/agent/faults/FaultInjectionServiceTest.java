package dev.meridian.agent.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.util.Durations;
import dev.meridian.agent.config.AgentSettings;
import dev.meridian.agent.model.ModelType;
import dev.meridian.agent.replica.ReplicaIdentity;
import dev.meridian.agent.replica.ReplicaServer;
import dev.meridian.agent.replica.ServedModel;
import dev.meridian.agent.testing.FaultsClient;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FaultInjection on its own listener, behind the admin token. */
class FaultInjectionServiceTest {
  @TempDir Path dir;
  private final AtomicInteger crashes = new AtomicInteger();
  private ReplicaServer replica;
  private FaultsListener listener;
  private ManagedChannel channel;
  private ManagedChannel faultsChannel;

  @BeforeEach
  void start() throws Exception {
    FaultInjector faults = new FaultInjector(new SplittableRandom(1));
    replica =
        ReplicaServer.builder(new ReplicaIdentity("eu-west", "r-0"))
            .model(
                ServedModel.primary(
                    ModelType.BUILTIN, new FaultInjectingModel(TestModels.adder(), faults, "r-0")))
            .start();
    listener =
        FaultsListener.start(
            "127.0.0.1",
            replica.security(),
            AgentSettings.REPLICA_LIMITS.defaults(),
            new FaultInjectionService("r-0", faults, crashes::incrementAndGet),
            AdminToken.read(Files.writeString(dir.resolve("token"), FaultsClient.TOKEN + "\n")),
            false);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", replica.port()).usePlaintext().build();
    faultsChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", listener.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    faultsChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    listener.close();
    replica.close();
  }

  private FaultInjectionGrpc.FaultInjectionBlockingStub faults() {
    return FaultsClient.withToken(faultsChannel, FaultsClient.TOKEN);
  }

  private static Status failure(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus();
  }

  /** Each of the three calls, made through {@code stub}, fails with {@code code}. */
  private void assertEveryCallFails(
      FaultInjectionGrpc.FaultInjectionBlockingStub stub, Status.Code code) {
    for (Status status :
        new Status[] {
          failure(
              () -> stub.setFaults(SetFaultsRequest.newBuilder().setFailureFraction(1).build())),
          failure(() -> stub.clearFaults(ClearFaultsRequest.getDefaultInstance())),
          failure(() -> stub.crash(CrashRequest.getDefaultInstance()))
        }) {
      assertThat(status.getCode()).isEqualTo(code);
    }
    assertThat(crashes).hasValue(0);
    assertThat(
            InferenceGrpc.newBlockingStub(channel)
                .predict(TestModels.adderRequest(1f, 1f))
                .getOutputsCount())
        .as("no fault was set")
        .isEqualTo(1);
  }

  @Test
  void withoutATokenCallsAreUnauthenticated() {
    assertEveryCallFails(
        FaultInjectionGrpc.newBlockingStub(faultsChannel), Status.Code.UNAUTHENTICATED);
  }

  @Test
  void withAnotherTokenCallsAreDenied() {
    assertEveryCallFails(
        FaultsClient.withToken(faultsChannel, FaultsClient.TOKEN + "x"),
        Status.Code.PERMISSION_DENIED);
  }

  @Test
  void thePredictPortDoesNotServeIt() {
    assertEveryCallFails(
        FaultsClient.withToken(channel, FaultsClient.TOKEN), Status.Code.UNIMPLEMENTED);
  }

  @Test
  void failsCallsWithTheChosenStatusUntilCleared() {
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
    faults().crash(CrashRequest.newBuilder().setReason("game day").build());
    // The replica crashes after it has answered, so the answer can arrive first.
    await().atMost(Duration.ofSeconds(5)).untilAtomic(crashes, equalTo(1));
  }

  @Test
  void badSettingsAreInvalidAndNameTheField() {
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
