package dev.meridian.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meridian.agent.testing.ConsulHarness;
import dev.meridian.agent.testing.LocalAddresses;
import dev.meridian.agent.testing.MetricsScrape;
import dev.meridian.agent.testing.TestAgentConfig;
import dev.meridian.agent.testing.TestModels;
import dev.meridian.core.Ticker;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.registry.ServiceInstance;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica as a real child JVM: SIGKILLed, it is restarted, and its check goes critical then
 * passing again in the dev Consul. Prints the restart timings it measures.
 */
class ProcessReplicaTest {
  private static final String REPLICA = "eu-west-adder-0";
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aKilledReplicaProcessIsRestartedAndItsCheckGoesCriticalThenPassing() throws Exception {
    try (ConsulHarness consul = new ConsulHarness()) {
      SupervisedRegionAgent agent =
          SupervisedRegionAgent.start(
              new TestAgentConfig(dir, consul.port()).processes().load(), Ticker.SYSTEM);
      try {
        awaitCheck(consul, "passing");
        ProcessHandle first = replicaProcess();
        int port = consul.replica(REPLICA).orElseThrow().port();

        long killed = System.nanoTime();
        first.destroyForcibly();

        ConsulHarness.Check critical = awaitCheck(consul, "critical");
        long reportedCritical = System.nanoTime();
        assertThat(critical.output())
            .startsWith(
                "restarting: replica exited with code 137 (killed by SIGKILL); restart 1 in");
        await().atMost(BOUND).ignoreExceptions().until(() -> answers(consul));
        long serving = System.nanoTime();
        awaitCheck(consul, "passing");
        long passing = System.nanoTime();

        ProcessHandle second = replicaProcess();
        assertThat(second.pid()).isNotEqualTo(first.pid());
        assertThat(consul.replica(REPLICA).orElseThrow().port())
            .as("a restart keeps the port")
            .isEqualTo(port);
        String metrics = metrics(agent);
        assertThat(metrics)
            .contains(
                "meridian_agent_restarts_total{model=\"adder\",replica=\"eu-west-adder-0\"} 1.0");
        System.out.printf(
            Locale.ROOT,
            "replica restart: kill -> critical in Consul %d ms, -> serving again %d ms,"
                + " -> passing in Consul %d ms%nprobe-to-Consul (agent_consul_update): %s%n",
            millis(reportedCritical - killed),
            millis(serving - killed),
            millis(passing - killed),
            metrics.lines().filter(l -> l.startsWith("agent_consul_update")).toList());

        agent.close();
        assertThat(consul.replicas()).as("deregistered on shutdown").isEmpty();
        assertThat(second.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void aReplicaProcessBindsItsServersToTheConfiguredAddress() throws Exception {
    String address = LocalAddresses.nonLoopbackIpv4().orElse(null);
    assumeTrue(address != null, "this machine has no non-loopback IPv4 address");
    try (ConsulHarness consul = new ConsulHarness()) {
      SupervisedRegionAgent agent =
          SupervisedRegionAgent.start(
              new TestAgentConfig(dir, consul.port()).processes().replicas(address, null).load(),
              Ticker.SYSTEM);
      try {
        // Passing means the child warmed up and was probed on that address, the only one it binds.
        awaitCheck(consul, "passing");
        ServiceInstance replica = consul.replica(REPLICA).orElseThrow();
        assertThat(replica.address()).isEqualTo(address);
        int metricsPort = Integer.parseInt(replica.meta().get("metrics-port"));
        assertThat(MetricsScrape.get(address, metricsPort))
            .as("the child's own /metrics, on the same address")
            .contains(
                "meridian_replica_call_duration_seconds_count{model=\"adder\",replica=\"eu-west-adder-0\"}");
      } finally {
        agent.close();
      }
    }
  }

  private static ConsulHarness.Check awaitCheck(ConsulHarness consul, String status) {
    return await()
        .atMost(BOUND)
        .until(
            () -> consul.check(REPLICA).orElse(null),
            check -> check != null && check.status().equals(status));
  }

  /**
   * The agent's one replica process: the test JVM's only child (its command line is too long to
   * match on).
   */
  private static ProcessHandle replicaProcess() {
    List<ProcessHandle> replicas =
        ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    assertThat(replicas).hasSize(1);
    return replicas.get(0);
  }

  private static boolean answers(ConsulHarness consul) throws InterruptedException {
    ServiceInstance replica = consul.replica(REPLICA).orElseThrow();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(replica.address(), replica.port()).usePlaintext().build();
    try {
      return InferenceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(1, TimeUnit.SECONDS)
              .predict(TestModels.adderRequest(1f, 2f))
              .getOutputsCount()
          == 1;
    } finally {
      channel.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
    }
  }

  private static String metrics(SupervisedRegionAgent agent) throws Exception {
    return MetricsScrape.get(agent.metricsPort());
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
