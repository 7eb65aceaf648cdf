package dev.meridian.controller.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.FakeTicker;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing-table computation on a fake ticker: weights, hysteresis, ramps, panic and drains. */
class ModelRouterTest {
  private static final String EU = "eu-west";
  private static final String US = "us-east";
  private static final RoutingPolicy POLICY =
      new RoutingPolicy(
          Duration.ofSeconds(1),
          0.75,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          3,
          Duration.ofSeconds(60),
          4);

  private final FakeTicker ticker = new FakeTicker();
  private final ModelRouter router =
      new ModelRouter("fraud-score", List.of(EU, US), POLICY, ticker);
  private final Map<String, RegionObservation> health = new HashMap<>();
  private final Map<String, Drain> drains = new HashMap<>();

  /** {@code passing} of {@code total} replicas of capacity 10 each, the others critical. */
  private void replicas(String region, int passing, int total) {
    replicas(region, passing, 0, total);
  }

  /** As {@link #replicas(String, int, int)} with {@code warning} more serving at half weight. */
  private void replicas(String region, int passing, int warning, int total) {
    health.put(
        region,
        new RegionObservation(
            passing + warning, warning, total, passing * 10L + warning * 5L, total * 10L));
  }

  private RoutingTable table() {
    return router.compute(health, drains);
  }

  private RegionRoute route(String region) {
    return table().getRegionsList().stream()
        .filter(route -> route.getRegion().equals(region))
        .findFirst()
        .orElseThrow();
  }

  private void advance(int seconds) {
    ticker.advance(Duration.ofSeconds(seconds));
  }

  @Test
  void weightsFollowHealthyCapacityAndStatesSayWhy() {
    replicas(EU, 2, 2);
    replicas(US, 1, 4);

    RoutingTable table = table();

    assertThat(table.getModelName()).isEqualTo("fraud-score");
    assertThat(table.getPanic()).isFalse();
    assertThat(table.getRegionsList())
        .extracting(RegionRoute::getRegion, RegionRoute::getWeight, RegionRoute::getState)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(EU, 20, RegionState.REGION_STATE_ACTIVE),
            org.assertj.core.groups.Tuple.tuple(US, 10, RegionState.REGION_STATE_DEGRADED));
    assertThat(route(US).getReason()).isEqualTo("1/4 replicas passing");
    assertThat(route(US).getHealthyReplicas()).isEqualTo(1);
    assertThat(route(US).getTotalReplicas()).isEqualTo(4);
  }

  @Test
  void regionWithoutPassingReplicasIsDownAtOnce() {
    replicas(EU, 2, 2);
    replicas(US, 2, 2);
    table();

    replicas(US, 0, 2);

    assertThat(route(US).getWeight()).isZero();
    assertThat(route(US).getState()).isEqualTo(RegionState.REGION_STATE_DOWN);
    assertThat(route(US).getReason()).isEqualTo("0/2 replicas passing");
    health.remove(US);
    assertThat(route(US).getReason()).isEqualTo("no replicas registered");
  }

  @Test
  void warningReplicaKeepsServingAtHalfWeight() {
    replicas(EU, 2, 2);
    replicas(US, 1, 1, 2);

    RegionRoute us = route(US);

    assertThat(us.getWeight()).isEqualTo(15);
    assertThat(us.getState())
        .as("15 of 20 is not below 0.75")
        .isEqualTo(RegionState.REGION_STATE_ACTIVE);
    assertThat(us.getReason()).isEqualTo("2/2 replicas serving (1 warning)");
    assertThat(us.getHealthyReplicas()).as("warning counts as serving").isEqualTo(2);
  }

  @Test
  void regionWhoseReplicasAllWarnIsDegradedNotDown() {
    replicas(EU, 0, 2);
    replicas(US, 0, 2, 2);

    RoutingTable table = table();

    assertThat(table.getPanic()).as("a warning region is routable").isFalse();
    assertThat(route(US).getWeight()).isEqualTo(10);
    assertThat(route(US).getState()).isEqualTo(RegionState.REGION_STATE_DEGRADED);
    assertThat(route(US).getReason()).isEqualTo("2/2 replicas serving (2 warning)");
  }

  @Test
  void recoveringRegionWaitsOutTheHoldThenRegainsWeightInSteps() {
    replicas(EU, 2, 2);
    replicas(US, 0, 2);
    table();

    replicas(US, 2, 2);
    assertThat(route(US).getWeight()).as("held back").isZero();
    assertThat(route(US).getState()).isEqualTo(RegionState.REGION_STATE_DEGRADED);
    assertThat(route(US).getReason()).contains("regaining weight");

    advance(9);
    assertThat(route(US).getWeight()).as("hold not over").isZero();
    advance(1);
    assertThat(route(US).getWeight()).as("ramp starts").isZero();
    advance(10);
    assertThat(route(US).getWeight()).as("step 1/3").isEqualTo(6);
    advance(10);
    assertThat(route(US).getWeight()).as("step 2/3").isEqualTo(13);
    advance(10);
    assertThat(route(US).getWeight()).as("full").isEqualTo(20);
    assertThat(route(US).getState()).isEqualTo(RegionState.REGION_STATE_ACTIVE);
    assertThat(route(US).getReason()).isEqualTo("2/2 replicas passing");
  }

  @Test
  void flappingReplicaKeepsTheLowerWeightInsteadOfMovingTrafficBackAndForth() {
    replicas(EU, 2, 2);
    replicas(US, 2, 2);
    table();

    for (int flap = 0; flap < 5; flap++) {
      replicas(US, 1, 2);
      assertThat(route(US).getWeight()).isEqualTo(10);
      advance(5);
      replicas(US, 2, 2);
      assertThat(route(US).getWeight()).as("flap %d: rise held", flap).isEqualTo(10);
      advance(5);
    }
    assertThat(route(US).getState()).isEqualTo(RegionState.REGION_STATE_DEGRADED);
  }

  @Test
  void everyRegionDownKeepsTheRegionsWithMostReplicasAndSaysPanic() {
    replicas(EU, 0, 3);
    replicas(US, 0, 1);

    RoutingTable table = table();

    assertThat(table.getPanic()).isTrue();
    assertThat(route(EU).getWeight()).isEqualTo(30);
    assertThat(route(US).getWeight()).isEqualTo(10);
    assertThat(route(EU).getState()).isEqualTo(RegionState.REGION_STATE_DOWN);
    assertThat(route(EU).getReason()).startsWith("panic");
  }

  @Test
  void panicPrefersRegionsWithPassingReplicasStillHeldBack() {
    replicas(EU, 0, 2);
    replicas(US, 0, 2);
    table();
    replicas(US, 1, 2);

    RoutingTable table = table();

    assertThat(table.getPanic()).isTrue();
    assertThat(route(US).getWeight()).isEqualTo(10);
    assertThat(route(EU).getWeight()).isZero();
  }

  @Test
  void drainRampsWeightDownInStepsThenDrainsAndUndrainRampsBack() {
    replicas(EU, 2, 2);
    replicas(US, 2, 2);
    table();
    drains.put(US, new Drain("alice", "kernel upgrade", ticker.nanoTime()));

    assertThat(route(US).getState()).isEqualTo(RegionState.REGION_STATE_DRAINING);
    assertThat(route(US).getWeight()).isEqualTo(20);
    advance(15);
    assertThat(route(US).getWeight()).isEqualTo(15);
    assertThat(route(US).getReason()).isEqualTo("draining by alice: kernel upgrade (step 1/4)");
    advance(30);
    assertThat(route(US).getWeight()).isEqualTo(5);
    advance(15);
    assertThat(route(US).getWeight()).isZero();
    assertThat(route(US).getState()).isEqualTo(RegionState.REGION_STATE_DRAINED);
    assertThat(route(US).getReason()).isEqualTo("drained by alice: kernel upgrade");

    drains.clear();
    assertThat(route(US).getWeight()).as("undrained: hold first").isZero();
    advance(10 + 10);
    assertThat(route(US).getWeight()).isEqualTo(6);
    advance(20);
    assertThat(route(US).getWeight()).isEqualTo(20);
  }

  @Test
  void drainedRegionsAreNeverPanicCandidates() {
    replicas(EU, 0, 2);
    replicas(US, 2, 2);
    drains.put(US, new Drain("alice", "forced", ticker.nanoTime() - Duration.ofHours(1).toNanos()));

    RoutingTable table = table();

    assertThat(table.getPanic()).isTrue();
    assertThat(route(US).getWeight()).isZero();
    assertThat(route(EU).getWeight()).as("registered but failing: best left").isEqualTo(20);
  }

  @Test
  void regionsStillDrainingAreNoPanicCandidatesEither() {
    replicas(EU, 0, 2);
    replicas(US, 0, 2);
    drains.put(US, new Drain("alice", "kernel upgrade", ticker.nanoTime()));

    RoutingTable table = table();

    assertThat(table.getPanic()).isTrue();
    assertThat(route(US).getState()).isEqualTo(RegionState.REGION_STATE_DRAINING);
    assertThat(route(US).getWeight()).as("registered capacity, but on its way out").isZero();
    assertThat(route(EU).getWeight()).isEqualTo(20);
  }

  @Test
  void seededRouterContinuesAPreviousLeadersRampInsteadOfJumping() {
    RoutingTable previous =
        RoutingTable.newBuilder()
            .addRegions(RegionRoute.newBuilder().setRegion(US).setWeight(5))
            .build();
    router.seed(previous);
    replicas(EU, 2, 2);
    replicas(US, 2, 2);

    assertThat(route(US).getWeight()).isEqualTo(5);
    assertThat(route(EU).getWeight())
        .as("not in the previous table: taken as observed")
        .isEqualTo(20);
  }
}
