package dev.meridian.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.util.Durations;
import dev.meridian.agent.testing.ConsulHarness;
import dev.meridian.agent.testing.FaultsClient;
import dev.meridian.agent.testing.LocalAddresses;
import dev.meridian.agent.testing.MetricsScrape;
import dev.meridian.agent.testing.TestAgentConfig;
import dev.meridian.agent.testing.TestModels;
import dev.meridian.core.Ticker;
import dev.meridian.proto.agent.v1.CrashRequest;
import dev.meridian.proto.agent.v1.FaultInjectionGrpc;
import dev.meridian.proto.agent.v1.SetFaultsRequest;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.registry.ServiceInstance;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent with in-process replicas against a dev Consul over HTTP. */
class InProcessAgentTest {
  private static final String REPLICA = "eu-west-adder-0";
  private static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final ConsulHarness consul = new ConsulHarness();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private SupervisedRegionAgent agent;

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    if (agent != null) {
      agent.close();
    }
    consul.close();
  }

  private TestAgentConfig config() {
    return new TestAgentConfig(dir, consul.port());
  }

  private void start(TestAgentConfig config) throws Exception {
    agent = SupervisedRegionAgent.start(config.load(), Ticker.SYSTEM);
  }

  private ConsulHarness.Check awaitCheck(String status) {
    return await()
        .atMost(BOUND)
        .until(
            () -> consul.check(REPLICA).orElse(null), c -> c != null && c.status().equals(status));
  }

  private ManagedChannel channelToReplica() {
    ServiceInstance instance = consul.replica(REPLICA).orElseThrow();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(instance.address(), instance.port()).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  /** FaultInjection on the port the replica's Consul metadata names, with the admin token. */
  private FaultInjectionGrpc.FaultInjectionBlockingStub replicaFaults() {
    ServiceInstance instance = consul.replica(REPLICA).orElseThrow();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(
                instance.address(), Integer.parseInt(instance.meta().get("faults")))
            .usePlaintext()
            .build();
    channels.add(channel);
    return FaultsClient.withToken(channel, FaultsClient.TOKEN);
  }

  @Test
  void registersWithMeridiansLayoutAndPassesAfterProbes() throws Exception {
    start(config());

    ConsulHarness.Check check = awaitCheck("passing");

    assertThat(check.output()).startsWith("probe answered in").contains("objective 100.0 ms");
    ServiceInstance instance = consul.replica(REPLICA).orElseThrow();
    assertThat(instance.address()).isEqualTo("127.0.0.1");
    assertThat(instance.tags()).containsExactly("adder");
    assertThat(instance.meta())
        .isEqualTo(
            Map.of(
                "region",
                "eu-west",
                "model",
                "adder",
                "model-version",
                "1",
                "capacity",
                "64",
                "protocol",
                "meridian"));
    assertThat(metrics())
        .contains(
            "meridian_agent_probe_duration_seconds_count{model=\"adder\",replica=\"eu-west-adder-0\"}")
        .contains(
            "meridian_replica_call_duration_seconds_count{model=\"adder\",replica=\"eu-west-adder-0\"}")
        .contains("replica_in_flight{model=\"adder\",replica=\"eu-west-adder-0\"} 0")
        .contains(
            "meridian_agent_health{model=\"adder\",replica=\"eu-west-adder-0\",status=\"passing\"} 1.0");
  }

  @Test
  void aReplicaBoundToAnotherAddressIsWarmedUpProbedAndRegisteredThere() throws Exception {
    String address = LocalAddresses.nonLoopbackIpv4().orElse(null);
    assumeTrue(address != null, "this machine has no non-loopback IPv4 address");
    start(config().replicas(address, null));

    // Bound to that address alone, the replica answers there only: its warm-up calls (200 by
    // default) and the probes that made it pass dialled the advertised address.
    awaitCheck("passing");
    ServiceInstance instance = consul.replica(REPLICA).orElseThrow();
    assertThat(instance.address()).isEqualTo(address);
    assertThat(InferenceGrpc.newBlockingStub(channelToReplica()).predict(adderRequest()))
        .isNotNull();
    ManagedChannel loopback =
        NettyChannelBuilder.forAddress("127.0.0.1", instance.port()).usePlaintext().build();
    channels.add(loopback);
    assertThatThrownBy(
            () ->
                InferenceGrpc.newBlockingStub(loopback)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .predict(adderRequest()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageStartingWith("UNAVAILABLE");
  }

  @Test
  void aReplicaBoundToEveryInterfaceIsRegisteredUnderItsAdvertisedName() throws Exception {
    String name = InetAddress.getLocalHost().getHostName();
    start(config().replicas("0.0.0.0", name));

    awaitCheck("passing");
    ServiceInstance instance = consul.replica(REPLICA).orElseThrow();
    assertThat(instance.address()).isEqualTo(name);
    PredictResponse response =
        InferenceGrpc.newBlockingStub(channelToReplica()).predict(adderRequest());
    assertThat(response.getServedBy().getReplica()).isEqualTo(REPLICA);
  }

  @Test
  void aReplicaIsRegisteredAndReportedOnlyAfterItsWarmUpCalls() throws Exception {
    start(
        config().model("{name: adder, type: builtin, path: adder.json, warm-up: {requests: 50}}"));

    // Every warm-up call must be answered by the time Consul first hears of the replica, let alone
    // sees it passing. (The count may include a probe or two, never 50: probes start after the
    // registration, every 500 ms; subtracting the probes would count ones that timed out before
    // the replica counted them.)
    long warmUpCalls =
        await()
            .atMost(BOUND)
            .until(
                () ->
                    consul.check(REPLICA).isPresent()
                        ? metric("meridian_replica_call_duration_seconds_count")
                        : -1,
                calls -> calls >= 0);

    assertThat(warmUpCalls).isGreaterThanOrEqualTo(50);
    awaitCheck("passing");
  }

  @Test
  void aModelThatFailsToLoadLeavesTheFallbackServingAndTheCheckSaysSo() throws Exception {
    config().write("broken.onnx", "not an onnx model");
    start(
        config()
            .model(
                "{name: adder, type: onnx, path: broken.onnx, fallback: adder-fallback.json,"
                    + " latency-objective: 1s}"));

    ConsulHarness.Check check = awaitCheck("warning");

    assertThat(check.output())
        .startsWith("running on fallback model adder-fallback version 7: primary failed to load: ")
        .contains("broken.onnx: not an ONNX model");
    PredictResponse response =
        InferenceGrpc.newBlockingStub(channelToReplica()).predict(TestModels.adderRequest(1f, 2f));
    assertThat(response.getModelName()).isEqualTo("adder-fallback");
    assertThat(response.getModelVersion()).isEqualTo("7");
  }

  @Test
  void aModelThatNeverLoadsEndsInACrashLoopReportedCritical() throws Exception {
    config().write("broken.onnx", "not an onnx model");
    start(
        config()
            .restart("{initial-backoff: 10ms, max-backoff: 20ms, crash-loop-restarts: 2}")
            .model("{name: adder, type: onnx, path: broken.onnx}"));
    // The replica never served, so it was never registered: the agent reports what it knows.
    await()
        .atMost(BOUND)
        .until(
            () -> agent.replicas().get(0).lastReported().output(), o -> o.startsWith("crash loop"));
    assertThat(agent.replicas().get(0).lastReported().output())
        .isEqualTo(
            "crash loop: 2 restarts within 60000ms; gave up restarting; last: replica failed to"
                + " start: model failed to load: "
                + dir.resolve("broken.onnx")
                + ": not an ONNX model: "
                + agent
                    .replicas()
                    .get(0)
                    .lastReported()
                    .output()
                    .split("not an ONNX model: ", 2)[1]);
    assertThat(consul.replicas()).isEmpty();
  }

  @Test
  void aCrashedReplicaIsRestartedAndPassesAgain() throws Exception {
    // A backoff long enough for the test to see the replica reported as restarting.
    start(config().faults().restart("{initial-backoff: 1s, max-backoff: 1s}"));
    awaitCheck("passing");

    replicaFaults().crash(CrashRequest.newBuilder().setReason("test").build());

    assertThat(awaitCheck("critical").output())
        .startsWith("restarting: replica exited with code 134 (crashed by fault injection)");
    awaitCheck("passing");
    assertThat(metrics())
        .contains("meridian_agent_restarts_total{model=\"adder\",replica=\"eu-west-adder-0\"} 1.0");
  }

  @Test
  void shutdownDeregistersAndFinishesEveryAcceptedCall() throws Exception {
    start(config().faults());
    awaitCheck("passing");
    ManagedChannel channel = channelToReplica();
    replicaFaults()
        .setFaults(
            SetFaultsRequest.newBuilder().setAddedLatency(Durations.fromMillis(500)).build());
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<PredictResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(
            callers.submit(
                () ->
                    InferenceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .predict(TestModels.adderRequest(1f, 2f))));
      }
      // Wait until the replica has accepted all four (the probes may add a fifth).
      await().atMost(BOUND).until(() -> inFlight() >= 4);

      agent.close();

      for (Future<PredictResponse> call : calls) {
        assertThat(call.get(10, TimeUnit.SECONDS).getOutputs(0).getContents().getFp32Contents(0))
            .isEqualTo(6f);
      }
      assertThat(consul.replicas()).isEmpty();
    } finally {
      callers.shutdownNow();
    }
  }

  private static PredictRequest adderRequest() {
    return TestModels.adderRequest(1f, 2f);
  }

  private int inFlight() throws Exception {
    return (int) metric("meridian_replica_in_flight");
  }

  /** The value of the replica's (or its supervisor's) sample {@code name}; 0 when absent. */
  private long metric(String name) throws Exception {
    String line = metrics().lines().filter(l -> l.startsWith(name + "{")).findFirst().orElse("x 0");
    return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  private String metrics() throws Exception {
    return MetricsScrape.get(agent.metricsPort());
  }
}
