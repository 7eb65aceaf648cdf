package dev.meridian.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.FakeTicker;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegionSelectorTest {
  private final RoutingState state = new RoutingState(new FakeTicker());

  private static RoutingTable table(int euWeight, int usWeight) {
    return RoutingTable.newBuilder()
        .setModelName("m")
        .addRegions(RegionRoute.newBuilder().setRegion("eu").setWeight(euWeight))
        .addRegions(RegionRoute.newBuilder().setRegion("us").setWeight(usWeight))
        .build();
  }

  private void replicas(String region, String... ids) {
    state.replaceReplicas(
        region,
        List.of(ids).stream()
            .map(id -> new ReplicaEndpoint(region, id, "127.0.0.1", 1, Set.of("m")))
            .toList());
  }

  @Test
  void picksInProportionToWeight() {
    replicas("eu", "eu-0");
    replicas("us", "us-0");
    RoutingTable table = table(30, 10);

    assertThat(new RegionSelector(state, () -> 0.0).pick(table, Set.of(), Set.of())).contains("eu");
    assertThat(new RegionSelector(state, () -> 0.74).pick(table, Set.of(), Set.of()))
        .contains("eu");
    assertThat(new RegionSelector(state, () -> 0.76).pick(table, Set.of(), Set.of()))
        .contains("us");
  }

  @Test
  void zeroWeightAndRegionsWithoutReplicasGetNoCalls() {
    replicas("eu", "eu-0");
    RegionSelector selector = new RegionSelector(state, () -> 0.99);

    assertThat(selector.pick(table(10, 10), Set.of(), Set.of())).contains("eu");
    replicas("us", "us-0");
    assertThat(selector.pick(table(0, 10), Set.of(), Set.of())).contains("us");
  }

  @Test
  void aTableThatRoutesNowhereSpreadsOverUndrainedReachableRegions() {
    replicas("eu", "eu-0");
    replicas("us", "us-0");
    RoutingTable nowhere =
        table(0, 0).toBuilder()
            .setRegions(
                0, table(0, 0).getRegions(0).toBuilder().setState(RegionState.REGION_STATE_DOWN))
            .setRegions(
                1, table(0, 0).getRegions(1).toBuilder().setState(RegionState.REGION_STATE_DRAINED))
            .build();

    assertThat(new RegionSelector(state, () -> 0.99).pick(nowhere, Set.of(), Set.of()))
        .contains("eu");
    assertThat(new RegionSelector(state, () -> 0.0).pick(nowhere, Set.of("eu"), Set.of("eu-0")))
        .as("the drained region stays out")
        .isEmpty();
  }

  @Test
  void prefersUntriedRegionsThenUntriedReplicasOfTriedOnes() {
    replicas("eu", "eu-0", "eu-1");
    replicas("us", "us-0");
    RegionSelector selector = new RegionSelector(state, () -> 0.0);
    RoutingTable table = table(10, 10);

    assertThat(selector.pick(table, Set.of("eu"), Set.of("eu-0"))).contains("us");
    assertThat(selector.pick(table, Set.of("eu", "us"), Set.of("eu-0", "us-0"))).contains("eu");
    assertThat(selector.pick(table, Set.of("eu", "us"), Set.of("eu-0", "eu-1", "us-0"))).isEmpty();
    assertThat(new ReplicaPicker(state).pick("eu", "m", Set.of("eu-0")))
        .get()
        .extracting(ReplicaEndpoint::id)
        .isEqualTo("eu-1");
  }
}
