package dev.meridian.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.config.AgentConfig;
import dev.meridian.agent.launch.ReplicaMain;
import dev.meridian.agent.launch.ReplicaSpec;
import dev.meridian.agent.model.ModelType;
import dev.meridian.agent.replica.ReplicaIdentity;
import dev.meridian.agent.replica.ReplicaServer;
import dev.meridian.agent.replica.ServedModel;
import dev.meridian.agent.testing.ConsulHarness;
import dev.meridian.agent.testing.TestAgentConfig;
import dev.meridian.agent.testing.TestModels;
import dev.meridian.core.JavaCommand;
import dev.meridian.core.Ticker;
import dev.meridian.core.metrics.BucketHistogram;
import dev.meridian.core.oip.OipRequests;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import dev.meridian.proto.oip.v2.ModelInferResponse;
import dev.meridian.proto.oip.v2.ServerLiveRequest;
import dev.meridian.registry.ServiceInstance;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent fronting external Open Inference Protocol servers, against a dev Consul: one it starts
 * by command (a Meridian replica process, which speaks OIP, started as a plain command) and one it
 * attaches to by address. Both register with {@code protocol=oip} and pass on real ModelInfer
 * probes.
 */
class OipExternalServerTest {
  private static final String REPLICA = "eu-west-adder-0";
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final ConsulHarness consul = new ConsulHarness();
  private SupervisedRegionAgent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    consul.close();
  }

  private TestAgentConfig config() {
    return new TestAgentConfig(dir, consul.port());
  }

  private ConsulHarness.Check awaitCheck(String status) {
    return await()
        .atMost(BOUND)
        .until(
            () -> consul.check(REPLICA).orElse(null), c -> c != null && c.status().equals(status));
  }

  @Test
  void aServerStartedByCommandIsRegisteredAsOipProbedPassingAndRestartedWhenKilled()
      throws Exception {
    agent =
        SupervisedRegionAgent.start(
            config()
                .restart("{initial-backoff: 1s, max-backoff: 1s}")
                .model("{name: adder, type: oip, command: " + replicaCommand() + "}")
                .load(),
            Ticker.SYSTEM);

    assertThat(awaitCheck("passing").output()).startsWith("probe answered in");
    ServiceInstance instance = consul.replica(REPLICA).orElseThrow();
    assertThat(instance.tags()).containsExactly("adder");
    assertThat(instance.meta())
        .containsEntry("protocol", "oip")
        .containsEntry("model", "adder")
        .containsEntry("model-version", "1");
    assertThat(infer(instance).getOutputs(0).getContents().getFp32ContentsList())
        .containsExactly(6f);

    ProcessHandle first = serverProcess();
    first.destroyForcibly();

    assertThat(awaitCheck("critical").output())
        .startsWith("restarting: replica exited with code 137 (killed by SIGKILL)");
    awaitCheck("passing");
    ProcessHandle second = serverProcess();
    assertThat(second.pid()).isNotEqualTo(first.pid());
    assertThat(consul.replica(REPLICA).orElseThrow().port())
        .as("a restart keeps the port")
        .isEqualTo(instance.port());

    agent.close();
    assertThat(consul.replicas()).as("deregistered on shutdown").isEmpty();
    assertThat(second.onExit().get(30, TimeUnit.SECONDS).isAlive())
        .as("stopped on agent shutdown")
        .isFalse();
  }

  @Test
  void aServerAttachedByAddressIsRegisteredAsOipProbedByModelInferAndLeftRunning()
      throws Exception {
    MetricRegistry serverMetrics = new MetricRegistry();
    ReplicaServer server =
        ReplicaServer.builder(new ReplicaIdentity("elsewhere", "triton-like-0"))
            .model(ServedModel.primary(ModelType.BUILTIN, TestModels.adder()))
            .metrics(serverMetrics, Ticker.SYSTEM)
            .start();
    try {
      agent =
          SupervisedRegionAgent.start(
              config()
                  .model("{name: adder, type: oip, address: '127.0.0.1:" + server.port() + "'}")
                  .load(),
              Ticker.SYSTEM);

      awaitCheck("passing");
      ServiceInstance instance = consul.replica(REPLICA).orElseThrow();
      assertThat(instance.address()).isEqualTo("127.0.0.1");
      assertThat(instance.port()).isEqualTo(server.port());
      assertThat(instance.meta()).containsEntry("protocol", "oip");
      assertThat(
              BucketHistogram.latency(
                      serverMetrics,
                      "replica.call.duration.seconds{model=adder,replica=triton-like-0}")
                  .getCount())
          .as("the probes were ModelInfer calls that reached the model")
          .isPositive();

      agent.close();
      assertThat(consul.replicas()).isEmpty();
      assertThat(live(server)).as("the agent never stops a server it attached to").isTrue();
    } finally {
      server.close();
    }
  }

  @Test
  void anAttachedServerThatStopsIsReportedCritical() throws Exception {
    ReplicaServer server =
        ReplicaServer.builder(new ReplicaIdentity("elsewhere", "triton-like-0"))
            .model(ServedModel.primary(ModelType.BUILTIN, TestModels.adder()))
            .start();
    try {
      agent =
          SupervisedRegionAgent.start(
              config()
                  .model("{name: adder, type: oip, address: '127.0.0.1:" + server.port() + "'}")
                  .load(),
              Ticker.SYSTEM);
      awaitCheck("passing");

      server.close();

      assertThat(awaitCheck("critical").output()).startsWith("probe failed after");
    } finally {
      server.close();
    }
  }

  /**
   * A Meridian replica of the adder as a plain command in YAML flow style: {@code java ...
   * ReplicaMain <spec>}, the spec's host and port the agent's {@code {host}} and {@code {port}}.
   */
  private String replicaCommand() {
    AgentConfig own = config().load();
    String spec =
        ReplicaSpec.of(own, own.models().get(0), 0)
            .toJson()
            .replace("\"host\":\"127.0.0.1\"", "\"host\":\"{host}\"")
            .replace("\"advertiseHost\":\"127.0.0.1\"", "\"advertiseHost\":\"{host}\"")
            .replace("\"port\":0", "\"port\":{port}");
    assertThat(spec).contains("{host}").contains("{port}");
    List<String> argv =
        JavaCommand.sameClasspath("256m", List.of(), ReplicaMain.class.getName(), List.of(spec));
    return argv.stream()
        .map(arg -> "'" + arg.replace("'", "''") + "'")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** The agent's one server process: the test JVM's only live child. */
  private static ProcessHandle serverProcess() {
    List<ProcessHandle> children =
        await()
            .atMost(BOUND)
            .until(
                () -> ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList(),
                alive -> alive.size() == 1);
    return children.get(0);
  }

  private static ModelInferResponse infer(ServiceInstance instance) throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(instance.address(), instance.port()).usePlaintext().build();
    try {
      return GRPCInferenceServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .modelInfer(OipRequests.toModelInfer(TestModels.adderRequest(1f, 2f)));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static boolean live(ReplicaServer server) throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      return GRPCInferenceServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .serverLive(ServerLiveRequest.getDefaultInstance())
          .getLive();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
