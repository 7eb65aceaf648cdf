package dev.meridian.deploy.e2e;

import static dev.meridian.deploy.e2e.Waits.SETTLE;
import static dev.meridian.deploy.e2e.Waits.awaitServed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.deploy.gameday.Figures;
import dev.meridian.deploy.gameday.ScenarioRunner;
import dev.meridian.deploy.gameday.Target;
import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.deploy.topology.Placement;
import dev.meridian.deploy.topology.TopologyPlan;
import dev.meridian.deploy.topology.net.Fault;
import dev.meridian.deploy.topology.net.Host;
import dev.meridian.deploy.topology.net.LabPlacement;
import dev.meridian.deploy.topology.net.NetworkLab;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Meridian across hosts: every region, the gateway, the controllers and each region's Consul
 * datacenter in network namespaces of their own ({@link IsolatedTopologyExtension}), and network
 * partitions made with iptables DROP rules inside them, so that packets vanish instead of
 * connections being refused. Same load, figures and targets as {@link FaultScenariosTest}: no
 * failed call, no degraded answer while a region could answer; and traffic off a region cut off
 * from the gateway within 2 s.
 */
@ExtendWith(IsolatedTopologyExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class PartitionScenariosTest {
  private static final String HOME = "eu-west";
  private static final String OTHER = "us-east";
  private static final Duration PARTITION = Duration.ofSeconds(10);
  // Longer than the replicas' 10 s TTL: the region's checks go critical in its datacenter.
  private static final Duration CUT_FROM_CONSUL = Duration.ofSeconds(15);
  private static final long TRAFFIC_OFF_WITHIN_MS = 2_000;

  private static final ResilienceReport report = ResilienceReport.forThisRun();

  private final TopologyPlan plan;
  private final NetworkLab lab;
  private final ConsulView consul;
  private final SteadyState steady;
  private final ScenarioRunner runner;

  PartitionScenariosTest(LocalTopology topology) {
    this.plan = topology.plan();
    this.lab = ((LabPlacement) plan.placement()).lab();
    this.consul = new ConsulView(plan);
    this.steady = new SteadyState(plan, consul);
    this.runner = new ScenarioRunner(topology::gatewayChannel, DemoModels.request());
  }

  @BeforeEach
  void startWhole() {
    steady.await(SETTLE);
  }

  @Test
  @Order(1)
  void theGatewayServesFromReplicasRegisteredAtTheirOwnHostsAddresses() throws Exception {
    for (String region : plan.regions()) {
      assertThat(consul.replicas(region))
          .as("replicas of %s registered at %s's own address", region, region)
          .isNotEmpty()
          .allSatisfy(replica -> assertThat(replica.host()).isEqualTo(plan.regionHost(region)));
      assertThat(plan.regionHost(region))
          .isNotEqualTo(plan.gatewayHost())
          .isNotEqualTo(plan.consulHost(region));
    }
    ScenarioRunner.Run run =
        runner.run(
            (timeline, calls) -> {
              for (String region : plan.regions()) {
                awaitServed(calls, new Target(region), 0);
              }
            });
    assertThat(run.calls()).allSatisfy(call -> assertThat(call.status()).isEqualTo("OK"));
  }

  @Test
  @Order(2)
  void aRegionBlackholedFromTheGateway() throws Exception {
    cutFromTheGateway(
        13,
        "packets between the gateway and " + HOME + " dropped both ways for 10 s",
        () -> lab.blackhole(host(Placement.GATEWAY), host(HOME)),
        "no connection is refused: liveness checks time out (1 s) and hedges leave first");
  }

  @Test
  @Order(3)
  void aRegionCutOffFromItsConsulDatacenter() throws Exception {
    Target region = new Target(OTHER);
    Figures figures =
        partition(
            14,
            OTHER
                + " cut off from its Consul datacenter for 15 s (TTL 10 s), gateway still reaches it",
            region,
            CUT_FROM_CONSUL,
            () -> lab.blackhole(host(OTHER), host(Placement.consul(OTHER))),
            "its checks go critical in Consul; the region itself answers throughout");
    assertThat(figures.failed()).as(figures.failures()).isZero();
    assertThat(figures.degraded()).as("degraded while a region could answer").isZero();
  }

  @Test
  @Order(4)
  void anAsymmetricPartition() throws Exception {
    cutFromTheGateway(
        15,
        "packets from the gateway to " + HOME + " dropped, the other way delivered, for 10 s",
        () -> lab.dropOneWay(host(Placement.GATEWAY), host(HOME)),
        "requests vanish; nothing comes back to reset the connections");
  }

  /**
   * Cuts {@link #HOME} off from the gateway for {@link #PARTITION} with {@code open}: no call lost,
   * none degraded while {@link #OTHER} could answer, and traffic off {@code HOME} within 2 s.
   */
  private void cutFromTheGateway(int number, String scenario, FaultOpener open, String notes)
      throws Exception {
    Figures figures = partition(number, scenario, new Target(HOME), PARTITION, open, notes);
    assertThat(figures.failed()).as(figures.failures()).isZero();
    assertThat(figures.degraded()).as("degraded while " + OTHER + " could answer").isZero();
    assertThat(figures.leftMs())
        .as("traffic off %s", HOME)
        .isLessThanOrEqualTo(TRAFFIC_OFF_WITHIN_MS);
  }

  /**
   * A network fault, opened for {@code held} under load and healed, recorded as scenario {@code
   * number}.
   */
  private Figures partition(
      int number, String scenario, Target target, Duration held, FaultOpener open, String notes)
      throws Exception {
    AtomicReference<Fault> fault = new AtomicReference<>();
    ScenarioRunner.Run run =
        runner.faultFor(
            held,
            target,
            () -> fault.set(open.open()),
            () -> {
              if (fault.get() != null) {
                fault.get().heal();
              }
            });
    return report.record(number, scenario, run, Optional.of(target), notes);
  }

  private Host host(String name) {
    return lab.host(name);
  }

  /** Opens one network fault. */
  @FunctionalInterface
  private interface FaultOpener {
    Fault open();
  }
}
