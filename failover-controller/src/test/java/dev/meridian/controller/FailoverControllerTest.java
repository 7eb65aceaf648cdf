package dev.meridian.controller;

import static dev.meridian.controller.ConsulFixture.EU;
import static dev.meridian.controller.ConsulFixture.US;
import static dev.meridian.controller.ConsulFixture.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.DrainRegionResponse;
import dev.meridian.proto.admin.v1.ListRegionsRequest;
import dev.meridian.proto.admin.v1.LoadProjection;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import dev.meridian.proto.admin.v1.UndrainRegionRequest;
import dev.meridian.proto.admin.v1.WatchRoutingTablesRequest;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.LoadReport;
import dev.meridian.registry.LoadReportJson;
import dev.meridian.registry.MeridianLayout;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Controllers against the dev Consul over HTTP: tables, hand-over, drains, standbys. */
class FailoverControllerTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir Path directory;
  private ControllerCluster cluster;
  private ConsulFixture consul;

  @BeforeEach
  void replicas() {
    cluster = new ControllerCluster(directory);
    consul = cluster.consul;
    consul.replica(EU, "eu-0");
    consul.replica(EU, "eu-1");
    consul.replica(US, "us-0");
    consul.replica(US, "us-1");
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  /** Waits until the table in every region's KV shows {@code region} with this weight and state. */
  private RoutingTable awaitRoute(String region, int weight, RegionState state) {
    for (String datacenter : new String[] {EU, US}) {
      await()
          .atMost(BOUND)
          .until(
              () -> consul.table(datacenter),
              table ->
                  table.isPresent()
                      && route(table.get(), region).getWeight() == weight
                      && route(table.get(), region).getState() == state);
    }
    return consul.table(EU).orElseThrow();
  }

  private static DrainRegionRequest drain(String region) {
    return DrainRegionRequest.newBuilder().setRegion(region).setReason("kernel upgrade").build();
  }

  @Test
  void tableInEveryRegionFollowsReplicaHealth() {
    FailoverController controller = cluster.start("ctl-a");

    RoutingTable first = awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);
    assertThat(route(first, EU).getWeight()).isEqualTo(20);
    assertThat(first.getComputedBy()).isEqualTo("ctl-a");
    assertThat(first.getLeaderEpoch()).isEqualTo(controller.epoch());

    consul.fail(US, "us-0");
    RoutingTable degraded = awaitRoute(US, 10, RegionState.REGION_STATE_DEGRADED);
    assertThat(route(degraded, US).getReason()).isEqualTo("1/2 replicas passing");
    assertThat(degraded.getVersion()).isGreaterThan(first.getVersion());

    consul.fail(US, "us-1");
    awaitRoute(US, 0, RegionState.REGION_STATE_DOWN);
    consul.fail(EU, "eu-0");
    awaitRoute(EU, 10, RegionState.REGION_STATE_DEGRADED);
    consul.pass(US, "us-0");
    consul.pass(US, "us-1");
    awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);
  }

  @Test
  void reportsItsAdvertisedHostsWithTheBoundPorts() {
    FailoverController controller = cluster.start("ctl-a");
    await().atMost(BOUND).until(controller.leadership()::isLeader);

    assertThat(controller.candidateId()).isEqualTo("ctl-a.admin.test:" + controller.adminPort());
    assertThat(controller.metricsAddress())
        .isEqualTo("ctl-a.metrics.test:" + controller.metricsPort());
    assertThat(controller.leadership().leader()).contains(controller.candidateId());
    assertThat(consul.registry(EU).kv().get(MeridianLayout.LEADER_KEY, EU, 0).value())
        .map(KvEntry::value)
        .contains(controller.candidateId());
  }

  @Test
  void warningReplicasKeepServingAtHalfWeight() {
    cluster.start("ctl-a");
    awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);

    consul.warn(US, "us-0");
    RoutingTable oneWarning = awaitRoute(US, 15, RegionState.REGION_STATE_ACTIVE);
    assertThat(route(oneWarning, US).getReason()).isEqualTo("2/2 replicas serving (1 warning)");

    consul.warn(US, "us-1");
    awaitRoute(US, 10, RegionState.REGION_STATE_DEGRADED);
  }

  @Test
  void servesHealthOnceReplicaHealthIsRead() {
    FailoverController controller = cluster.start("ctl-a");
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(ControllerCluster.LOCAL, controller.adminPort())
            .usePlaintext()
            .build();
    try {
      await()
          .atMost(BOUND)
          .until(
              () ->
                  HealthGrpc.newBlockingStub(channel)
                      .check(HealthCheckRequest.getDefaultInstance())
                      .getStatus(),
              status -> status == ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void closingTheLeaderHandsOverToTheStandbyAndTablesKeepUpdating() {
    FailoverController first = cluster.start("ctl-a");
    await().atMost(BOUND).until(first.leadership()::isLeader);
    RoutingTable before = awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);
    FailoverController second = cluster.start("ctl-b");
    assertThatThrownBy(
            () -> cluster.admin(second).listRegions(ListRegionsRequest.getDefaultInstance()))
        .hasMessageContaining(
            "UNAVAILABLE: this controller is a standby: the leader is " + first.candidateId());

    cluster.stop(first);

    await().atMost(BOUND).until(second.leadership()::isLeader);
    await()
        .atMost(BOUND)
        .until(() -> consul.table(US).orElseThrow().getComputedBy().equals("ctl-b"));
    RoutingTable handedOver = consul.table(US).orElseThrow();
    assertThat(handedOver.getLeaderEpoch()).isGreaterThan(before.getLeaderEpoch());
    assertThat(handedOver.getVersion()).isGreaterThan(before.getVersion());
    consul.fail(EU, "eu-1");
    awaitRoute(EU, 10, RegionState.REGION_STATE_DEGRADED);
  }

  @Test
  void leaderWhoseSessionEndsIsDeposedAndTheStandbyTakesOverAfterTheLockDelay() {
    FailoverController first = cluster.start("ctl-a");
    await().atMost(BOUND).until(first.leadership()::isLeader);
    awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);
    long firstEpoch = first.epoch();
    FailoverController second = cluster.start("ctl-b");
    String session =
        consul
            .registry(EU)
            .kv()
            .get(MeridianLayout.LEADER_KEY, EU, 0)
            .value()
            .orElseThrow()
            .session()
            .orElseThrow();

    // What Consul does when the leader's process dies and its session TTL runs out.
    consul.registry(EU).sessions().destroy(session, EU);
    await().atMost(BOUND).until(() -> !first.leadership().isLeader());
    assertThat(second.leadership().isLeader())
        .as("the lock-delay holds the standby back")
        .isFalse();
    // The deposed leader's process is gone in the story above: only the standby may take over.
    cluster.stop(first);
    consul.advance(ControllerCluster.LOCK_DELAY.plusSeconds(1));

    await().atMost(BOUND).until(second.leadership()::isLeader);
    await()
        .atMost(BOUND)
        .until(
            () -> consul.table(US).orElseThrow(),
            table ->
                table.getComputedBy().equals("ctl-b") && table.getLeaderEpoch() == second.epoch());
    assertThat(second.epoch()).isGreaterThan(firstEpoch);
    consul.fail(US, "us-0");
    awaitRoute(US, 10, RegionState.REGION_STATE_DEGRADED);
  }

  @Test
  void anOversizedRegionNameIsEchoedOnlyAsABoundedPrefix() {
    FailoverController controller = cluster.start("ctl-a");
    awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);

    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> cluster.admin(controller).drainRegion(drain("r".repeat(10_000))));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(refused.getStatus().getDescription())
        .startsWith("region 'rrrr")
        .contains("…(10000 chars)' is not one of [eu-west, us-east]")
        .hasSizeLessThan(200);
  }

  @Test
  void drainRampsTheRegionsWeightToZeroAndUndrainBringsItBack() {
    FailoverController controller = cluster.start("ctl-a");
    awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);
    RegionAdminGrpc.RegionAdminBlockingStub admin = cluster.admin(controller);

    DrainRegionResponse response = admin.drainRegion(drain(US));

    assertThat(route(response.getTables(0), US).getState())
        .isEqualTo(RegionState.REGION_STATE_DRAINING);
    assertThat(route(response.getTables(0), US).getWeight())
        .as("ramp starts at full")
        .isEqualTo(20);
    awaitRoute(US, 10, RegionState.REGION_STATE_DRAINING);
    RoutingTable drained = awaitRoute(US, 0, RegionState.REGION_STATE_DRAINED);
    assertThat(route(drained, US).getReason())
        .matches("drained by operator:tester@/127\\.0\\.0\\.1:[0-9]+: kernel upgrade");
    assertThat(
            admin.listRegions(ListRegionsRequest.getDefaultInstance()).getRegions(1).getDrained())
        .isTrue();
    assertThatThrownBy(() -> admin.drainRegion(drain(US)))
        .hasMessageContaining("FAILED_PRECONDITION: us-east is already drained");

    admin.undrainRegion(
        UndrainRegionRequest.newBuilder().setRegion(US).setReason("upgrade done").build());
    awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);
    assertThat(consul.drains(EU)).doesNotContain(US);
    assertThat(consul.drains(US)).doesNotContain(US);
  }

  @Test
  void drainThatWouldLeaveAModelUnservedIsRefusedUnlessForced() {
    FailoverController controller = cluster.start("ctl-a");
    consul.fail(EU, "eu-0");
    consul.fail(EU, "eu-1");
    awaitRoute(EU, 0, RegionState.REGION_STATE_DOWN);
    RegionAdminGrpc.RegionAdminBlockingStub admin = cluster.admin(controller);

    assertThatThrownBy(() -> admin.drainRegion(drain(US)))
        .hasMessage(
            "FAILED_PRECONDITION: draining us-east would leave these models with no serving"
                + " region: fraud-score (eu-west: 0/2 replicas passing); set force to drain"
                + " anyway (needs role admin)");
    DrainRegionResponse dryRun =
        admin.drainRegion(drain(US).toBuilder().setDryRun(true).setForce(true).build());
    assertThat(dryRun.getDryRun()).isTrue();
    assertThat(route(dryRun.getTables(0), US).getState())
        .isEqualTo(RegionState.REGION_STATE_DRAINED);
    assertThat(consul.drains(EU)).as("a dry run changes nothing").doesNotContain(US);

    admin.drainRegion(drain(US).toBuilder().setForce(true).build());
    RoutingTable table = awaitRoute(US, 0, RegionState.REGION_STATE_DRAINED);
    assertThat(table.getPanic()).isTrue();
  }

  @Test
  void drainTheSurvivorsCannotCarryIsRefusedWithTheNumbersAndADryRunShowsTheProjection() {
    FailoverController controller = cluster.start("ctl-a");
    awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);
    RegionAdminGrpc.RegionAdminBlockingStub admin = cluster.admin(controller);
    reportLoad(12, 15);

    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThatThrownBy(
                        () -> admin.drainRegion(drain(US).toBuilder().setDryRun(true).build()))
                    .hasMessage(
                        "FAILED_PRECONDITION: draining us-east would put eu-west at 1.35 of its"
                            + " capacity (27.0 in flight of 20) for fraud-score; limit 0.80; use"
                            + " --force to drain anyway (needs role admin)"));

    reportLoad(2, 3);
    await()
        .atMost(BOUND)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              LoadProjection projection =
                  admin.drainRegion(drain(US).toBuilder().setDryRun(true).build()).getCapacity();
              assertThat(projection.getMaxUtilisation()).isEqualTo(0.8);
              assertThat(projection.getModels(0).getDrainedInFlight()).isEqualTo(3.0);
              assertThat(projection.getModels(0).getSurvivors(0).getRegion()).isEqualTo(EU);
              assertThat(projection.getModels(0).getSurvivors(0).getUtilisation()).isEqualTo(0.25);
            });
  }

  @Test
  void aRampStepTheSurvivorsCannotCarryWaitsForHeadroom() {
    // Long enough that the raised load is read (every 100 ms) well before the first step is due.
    cluster.drainRamp(Duration.ofSeconds(4));
    FailoverController controller = cluster.start("ctl-a");
    awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);
    RegionAdminGrpc.RegionAdminBlockingStub admin = cluster.admin(controller);
    reportLoad(2, 2);
    await()
        .atMost(BOUND)
        .ignoreExceptions()
        .until(
            () ->
                admin
                    .drainRegion(drain(US).toBuilder().setDryRun(true).build())
                    .getCapacity()
                    .getModels(0)
                    .getLoadKnown());

    admin.drainRegion(drain(US));
    reportLoad(17, 2);

    await()
        .atMost(BOUND)
        .until(
            () -> consul.table(EU),
            table ->
                table.isPresent()
                    && route(table.get(), US).getReason().contains("; paused before step ")
                    && route(table.get(), US).getReason().contains(": it would put eu-west at 0.9")
                    && route(table.get(), US).getReason().endsWith("for fraud-score; limit 0.80)"));
    assertThat(route(consul.table(EU).orElseThrow(), US).getState())
        .isEqualTo(RegionState.REGION_STATE_DRAINING);
    reportLoad(2, 2);
    awaitRoute(US, 0, RegionState.REGION_STATE_DRAINED);
  }

  @Test
  void drainWithoutLoadReportsIsAllowedWithAWarning() {
    FailoverController controller = cluster.start("ctl-a");
    awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);

    DrainRegionResponse dryRun =
        cluster.admin(controller).drainRegion(drain(US).toBuilder().setDryRun(true).build());

    assertThat(dryRun.getCapacity().getWarningsList())
        .containsExactly(
            "no fresh load report names fraud-score: the survivors' capacity was not checked for"
                + " it");
  }

  /** One gateway in eu-west reports these calls in flight to each region. */
  private void reportLoad(double eu, double us) {
    consul
        .registry(EU)
        .kv()
        .put(
            MeridianLayout.loadKey("eu-gw"),
            LoadReportJson.encode(
                new LoadReport(
                    "eu-gw",
                    Instant.now(),
                    Duration.ofSeconds(5),
                    Map.of(
                        ConsulFixture.MODEL,
                        Map.of(
                            EU, new LoadReport.RegionLoad(100, eu),
                            US, new LoadReport.RegionLoad(100, us))))),
            EU);
  }

  @Test
  void watchStreamsTheCurrentTablesThenChanges() {
    FailoverController controller = cluster.start("ctl-a");
    awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);
    Iterator<RoutingTable> tables =
        cluster
            .admin(controller)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .watchRoutingTables(
                WatchRoutingTablesRequest.newBuilder().setModelName(ConsulFixture.MODEL).build());

    RoutingTable current = tables.next();
    assertThat(route(current, US).getWeight()).isEqualTo(20);
    consul.fail(US, "us-0");

    RoutingTable changed = tables.next();
    assertThat(changed.getVersion()).isEqualTo(current.getVersion() + 1);
    assertThat(route(changed, US).getWeight()).isEqualTo(10);
  }

  @Test
  void newLeaderCarriesOnADrainFromKv() {
    FailoverController first = cluster.start("ctl-a");
    awaitRoute(US, 20, RegionState.REGION_STATE_ACTIVE);
    cluster.admin(first).drainRegion(drain(US));
    FailoverController second = cluster.start("ctl-b");

    cluster.stop(first);

    await().atMost(BOUND).until(second.leadership()::isLeader);
    RoutingTable table = awaitRoute(US, 0, RegionState.REGION_STATE_DRAINED);
    assertThat(table.getComputedBy()).isEqualTo("ctl-b");
    Optional<String> reason = Optional.of(route(table, US).getReason());
    assertThat(reason).hasValueSatisfying(text -> assertThat(text).endsWith(": kernel upgrade"));
  }
}
