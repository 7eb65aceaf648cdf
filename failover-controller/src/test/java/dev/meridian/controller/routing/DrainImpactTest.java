package dev.meridian.controller.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrainImpactTest {
  private static RegionRoute route(String region, int weight, RegionState state, String reason) {
    return RegionRoute.newBuilder()
        .setRegion(region)
        .setWeight(weight)
        .setState(state)
        .setReason(reason)
        .build();
  }

  private static RoutingTable table(String model, RegionRoute... routes) {
    return RoutingTable.newBuilder().setModelName(model).addAllRegions(List.of(routes)).build();
  }

  @Test
  void drainProjectsZeroWeightAndNamesModelsItWouldLeaveUnserved() {
    RoutingTable both =
        table(
            "a",
            route("eu-west", 20, RegionState.REGION_STATE_ACTIVE, "2/2 replicas passing"),
            route("us-east", 20, RegionState.REGION_STATE_ACTIVE, "2/2 replicas passing"));
    RoutingTable onlyEu =
        table(
            "b",
            route("eu-west", 10, RegionState.REGION_STATE_DEGRADED, "1/2 replicas passing"),
            route("us-east", 0, RegionState.REGION_STATE_DOWN, "0/2 replicas passing"));
    RoutingTable onlyUs =
        table(
            "c",
            route("eu-west", 0, RegionState.REGION_STATE_DOWN, "no replicas registered"),
            route("us-east", 10, RegionState.REGION_STATE_ACTIVE, "1/1 replicas passing"));

    DrainImpact impact = DrainImpact.of(List.of(both, onlyEu, onlyUs), "eu-west", "drained by x");

    assertThat(impact.unserved()).containsExactly("b (us-east: 0/2 replicas passing)");
    assertThat(impact.tables().get(0).getRegions(0).getWeight()).isZero();
    assertThat(impact.tables().get(0).getRegions(0).getState())
        .isEqualTo(RegionState.REGION_STATE_DRAINED);
    assertThat(impact.tables().get(0).getRegions(1).getWeight()).isEqualTo(20);
    assertThat(impact.tables().get(1).getPanic()).isTrue();
    assertThat(impact.tables().get(2).getPanic()).isFalse();
  }

  @Test
  void panicWeightAndDrainingRegionsDoNotCountAsServing() {
    RoutingTable panic =
        table(
                "a",
                route("eu-west", 20, RegionState.REGION_STATE_DOWN, "panic"),
                route("us-east", 20, RegionState.REGION_STATE_DOWN, "panic"))
            .toBuilder()
            .setPanic(true)
            .build();
    RoutingTable otherDraining =
        table(
            "b",
            route("eu-west", 10, RegionState.REGION_STATE_ACTIVE, "1/1 replicas passing"),
            route("us-east", 10, RegionState.REGION_STATE_DRAINING, "draining by bob"));

    DrainImpact impact = DrainImpact.of(List.of(panic, otherDraining), "eu-west", "drained");

    assertThat(impact.unserved()).containsExactly("b (us-east: draining by bob)");
  }
}
