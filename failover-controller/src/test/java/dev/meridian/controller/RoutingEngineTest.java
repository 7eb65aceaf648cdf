package dev.meridian.controller;

import static dev.meridian.controller.ConsulFixture.EU;
import static dev.meridian.controller.ConsulFixture.MODEL;
import static dev.meridian.controller.ConsulFixture.US;
import static dev.meridian.controller.ConsulFixture.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meridian.controller.routing.LoadSnapshot;
import dev.meridian.core.routing.RoutingTableJson;
import dev.meridian.proto.admin.v1.BreakerStatus;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.GatewayStatus;
import dev.meridian.proto.admin.v1.ListRegionsResponse;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.LoadReport;
import dev.meridian.registry.MeridianLayout;
import io.grpc.Status;
import io.grpc.StatusException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing engine's unhappy paths against the dev Consul, with leadership set by the test:
 * fence-outs by stale epochs, malformed records, a leader that lost its lock without knowing, and
 * names that break the rule.
 */
class RoutingEngineTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir Path directory;
  private EngineHarness harness;
  private ConsulFixture consul;

  @BeforeEach
  void replicas() {
    harness = new EngineHarness(directory);
    consul = harness.consul;
    consul.replica(EU, "eu-0");
    consul.replica(US, "us-0");
  }

  @AfterEach
  void close() {
    harness.close();
  }

  private RoutingTable awaitTable(String datacenter, String region, RegionState state) {
    return await()
        .atMost(BOUND)
        .until(
            () -> consul.table(datacenter),
            table -> table.isPresent() && route(table.get(), region).getState() == state)
        .orElseThrow();
  }

  /** Waits until both regions' health is in the table, so a drain of one leaves the other. */
  private void awaitBothActive() {
    awaitTable(EU, US, RegionState.REGION_STATE_ACTIVE);
    awaitTable(EU, EU, RegionState.REGION_STATE_ACTIVE);
  }

  private static RoutingTable table(long version, long epoch) {
    return RoutingTable.newBuilder()
        .setModelName(MODEL)
        .setVersion(version)
        .setLeaderEpoch(epoch)
        .addRegions(RegionRoute.newBuilder().setRegion(US).setWeight(1))
        .build();
  }

  @Test
  void aLeaderFencedOutByAStaleHigherEpochTakesANewEpochAndKeepsWriting() {
    harness.engine.elected(1);
    awaitTable(US, US, RegionState.REGION_STATE_ACTIVE);
    long first = harness.engine.epoch();

    // Left by the leaders of a datacenter since rebuilt: its lock restarted at LockIndex 1.
    consul
        .registry(US)
        .kv()
        .put(
            MeridianLayout.routingTableKey(MODEL),
            RoutingTableJson.encode(table(1, first + 1000)),
            US);
    consul.fail(US, "us-0");

    RoutingTable down = awaitTable(US, US, RegionState.REGION_STATE_DOWN);
    assertThat(down.getLeaderEpoch()).isGreaterThan(first + 1000);
    assertThat(harness.engine.epoch()).isEqualTo(down.getLeaderEpoch());
    assertThat(awaitTable(EU, US, RegionState.REGION_STATE_DOWN).getLeaderEpoch())
        .isEqualTo(down.getLeaderEpoch());
    consul.pass(US, "us-0");
    awaitTable(US, US, RegionState.REGION_STATE_ACTIVE);
  }

  @Test
  void epochsOnlyGrowAcrossElectionsEvenWhenTheLockIndexRestarts() {
    harness.engine.elected(7);
    awaitTable(US, US, RegionState.REGION_STATE_ACTIVE);
    long first = harness.engine.epoch();
    assertThat(first).isGreaterThan(7);

    harness.engine.deposed("test");
    await().atMost(BOUND).until(() -> harness.engine.epoch() == 0);
    harness.engine.elected(1);

    await().atMost(BOUND).until(() -> harness.engine.epoch() > first);
  }

  @Test
  void malformedRecordsAreSkippedAndReportedAndTheTakeoverGoesOn() {
    consul
        .registry(EU)
        .kv()
        .put(
            MeridianLayout.DRAINS_KEY,
            "{\"version\":3,\"leaderEpoch\":2,\"drains\":["
                + "{\"region\":\"us-east\",\"who\":null,\"reason\":\"x\","
                + "\"startedAt\":\"2026-01-01T00:00:00Z\"},"
                + "{\"region\":\"eu-west\",\"who\":\"bob\",\"reason\":\"rack move\","
                + "\"startedAt\":\"2026-01-01T00:00:00Z\"}]}",
            EU);
    consul.registry(EU).kv().put(MeridianLayout.routingTableKey("other"), "[1,2", EU);
    consul.registry(EU).kv().put(MeridianLayout.EPOCH_KEY, "banana", EU);

    harness.engine.elected(1);

    // Once both regions' health is read: the drain started long ago, so it is drained at once.
    RoutingTable table = awaitTable(EU, US, RegionState.REGION_STATE_ACTIVE);
    assertThat(route(table, EU).getState()).isEqualTo(RegionState.REGION_STATE_DRAINED);
    assertThat(route(table, EU).getReason()).isEqualTo("drained by bob: rack move");
    assertThat(harness.rejected)
        .anyMatch(line -> line.contains("drains[0].who: expected a string"))
        .anyMatch(line -> line.contains("meridian/routing/other"))
        .anyMatch(line -> line.contains("'banana' is no epoch"));
  }

  @Test
  void aModelNameThatBreaksTheRuleIsSkippedAndTheOtherModelsStillRoute() {
    consul.replica(EU, "bad-0", "a..b");
    harness.engine.elected(1);
    awaitTable(EU, US, RegionState.REGION_STATE_ACTIVE);

    consul.fail(US, "us-0");

    awaitTable(EU, US, RegionState.REGION_STATE_DOWN);
    assertThat(harness.rejected).contains("replica bad-0 names model \"a..b\": skipped");
  }

  @Test
  void aLeaderThatLostItsLockWithoutKnowingRecordsNoDrain() throws Exception {
    harness.engine.elected(1);
    awaitBothActive();

    harness.leadership.loseLockUnknowingly();
    StatusException refused =
        catchThrowableOfType(
            StatusException.class,
            () ->
                harness
                    .operations()
                    .drain(
                        DrainRegionRequest.newBuilder()
                            .setRegion(US)
                            .setReason("kernel upgrade")
                            .build(),
                        "alice"));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(refused.getStatus().getDescription())
        .startsWith("this controller cannot confirm with Consul that it still leads")
        .contains("nothing changed");
    assertThat(consul.drains(EU)).doesNotContain(US);
    ListRegionsResponse regions = harness.operations().regions();
    assertThat(regions.getRegions(1).getDrained()).isFalse();
  }

  @Test
  void listingRegionsNamesEveryReportingGatewayWithItsBreakers() throws Exception {
    harness.engine.elected(1);
    awaitBothActive();
    Instant at = Instant.parse("2026-12-02T10:00:00Z");
    harness.load =
        LoadSnapshot.sum(
            List.of(
                new LoadReport("us-east-gw-b-50051", at, Duration.ofSeconds(5), Map.of(), Map.of()),
                new LoadReport(
                    "eu-west-gw-a-50051",
                    at,
                    Duration.ofSeconds(5),
                    Map.of(
                        MODEL,
                        Map.of(
                            EU,
                            new LoadReport.RegionLoad(40, 1),
                            US,
                            new LoadReport.RegionLoad(2, 0.1))),
                    Map.of(MODEL, Map.of(EU, "CLOSED", US, "OPEN")))));

    ListRegionsResponse regions = harness.operations().regions();

    assertThat(regions.getGatewaysList())
        .extracting(GatewayStatus::getGateway)
        .containsExactly("eu-west-gw-a-50051", "us-east-gw-b-50051");
    GatewayStatus eu = regions.getGateways(0);
    assertThat(eu.getCallsPerSecond()).isEqualTo(42);
    assertThat(eu.getReportedAt().getSeconds()).isEqualTo(at.getEpochSecond());
    assertThat(eu.getBreakersList())
        .containsExactlyInAnyOrder(
            BreakerStatus.newBuilder().setModelName(MODEL).setRegion(EU).setState("CLOSED").build(),
            BreakerStatus.newBuilder().setModelName(MODEL).setRegion(US).setState("OPEN").build());
    assertThat(regions.getGateways(1).getBreakersList()).isEmpty();
  }

  @Test
  void drainsAreWrittenToEveryDatacenterAndAreFoundWhenTheControlKvIsLost() throws Exception {
    harness.engine.elected(1);
    awaitBothActive();
    harness
        .operations()
        .drain(
            DrainRegionRequest.newBuilder().setRegion(US).setReason("kernel upgrade").build(),
            "alice");
    awaitTable(US, US, RegionState.REGION_STATE_DRAINED);
    await().atMost(BOUND).until(() -> consul.drains(US).contains(US));
    long before = harness.engine.epoch();

    harness.engine.deposed("control datacenter rebuilt");
    consul.loseKv(EU);
    harness.engine.elected(1);

    await().atMost(BOUND).until(() -> harness.engine.epoch() > before);
    await().atMost(BOUND).until(() -> consul.drains(EU).contains(US));
    RoutingTable rebuilt = awaitTable(EU, US, RegionState.REGION_STATE_DRAINED);
    assertThat(rebuilt.getLeaderEpoch()).isEqualTo(harness.engine.epoch());
    assertThat(route(rebuilt, US).getReason()).isEqualTo("drained by alice: kernel upgrade");
    assertThat(harness.operations().regions().getRegions(1).getDrained()).isTrue();
  }

  @Test
  void drainsWrittenUnderANewerEpochByARestoreAreAdoptedByTheRunningLeader() {
    harness.engine.elected(1);
    awaitBothActive();
    long restored = harness.engine.epoch() + 5;

    consul
        .registry(EU)
        .kv()
        .put(
            MeridianLayout.DRAINS_KEY,
            "{\"version\":1,\"leaderEpoch\":"
                + restored
                + ",\"drains\":[{\"region\":\"us-east\",\"who\":\"bob\",\"reason\":\"restored\","
                + "\"startedAt\":\"2026-01-01T00:00:00Z\"}]}",
            EU);

    RoutingTable table = awaitTable(EU, US, RegionState.REGION_STATE_DRAINED);
    assertThat(table.getLeaderEpoch()).isGreaterThan(restored);
    assertThat(route(table, US).getReason()).isEqualTo("drained by bob: restored");
    await().atMost(BOUND).until(() -> consul.drains(US).contains(US));
  }
}
