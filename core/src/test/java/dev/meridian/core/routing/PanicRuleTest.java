package dev.meridian.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

class PanicRuleTest {
  private static final List<ToLongFunction<RegionRoute>> BY_COUNTS =
      List.of(RegionRoute::getHealthyReplicas, RegionRoute::getTotalReplicas);

  private static RegionRoute route(String region, RegionState state, int healthy, int total) {
    return RegionRoute.newBuilder()
        .setRegion(region)
        .setState(state)
        .setHealthyReplicas(healthy)
        .setTotalReplicas(total)
        .build();
  }

  @Test
  void appliesOnlyWhenNoRouteHasWeight() {
    RegionRoute down = route("eu", RegionState.REGION_STATE_DOWN, 0, 2);

    assertThat(PanicRule.routesNowhere(List.of(down))).isTrue();
    assertThat(PanicRule.routesNowhere(List.of())).isTrue();
    assertThat(PanicRule.routesNowhere(List.of(down, down.toBuilder().setWeight(1).build())))
        .isFalse();
  }

  @Test
  void theFirstMeasureThatWeighsSomeCandidateDecidesAndTheOthersDropOut() {
    List<RegionRoute> routes =
        List.of(
            route("eu", RegionState.REGION_STATE_DOWN, 0, 3),
            route("us", RegionState.REGION_STATE_DEGRADED, 2, 2),
            route("ap", RegionState.REGION_STATE_DEGRADED, 1, 4));

    assertThat(PanicRule.candidates(routes, BY_COUNTS))
        .extracting(RegionRoute::getRegion, RegionRoute::getWeight)
        .containsExactly(tuple("us", 2), tuple("ap", 1));
  }

  @Test
  void aMeasureThatWeighsNothingHandsOverToTheNext() {
    List<RegionRoute> routes =
        List.of(
            route("eu", RegionState.REGION_STATE_DOWN, 0, 3),
            route("us", RegionState.REGION_STATE_DOWN, 0, 1),
            route("ap", RegionState.REGION_STATE_DOWN, 0, 0));

    assertThat(PanicRule.candidates(routes, BY_COUNTS))
        .extracting(RegionRoute::getRegion, RegionRoute::getWeight)
        .containsExactly(tuple("eu", 3), tuple("us", 1));
    assertThat(PanicRule.candidates(List.of(routes.get(2)), BY_COUNTS)).isEmpty();
  }

  @Test
  void drainingAndDrainedRoutesAreNeverCandidates() {
    List<RegionRoute> routes =
        List.of(
            route("eu", RegionState.REGION_STATE_DRAINING, 2, 2),
            route("us", RegionState.REGION_STATE_DRAINED, 2, 2),
            route("ap", RegionState.REGION_STATE_DOWN, 0, 1));

    assertThat(PanicRule.candidates(routes, BY_COUNTS))
        .extracting(RegionRoute::getRegion, RegionRoute::getWeight)
        .containsExactly(tuple("ap", 1));
  }

  @Test
  void capacitiesBeyondTheWeightRangeAreCapped() {
    RegionRoute route = route("eu", RegionState.REGION_STATE_DOWN, 0, 1);

    assertThat(PanicRule.candidates(List.of(route), List.of(r -> Long.MAX_VALUE)))
        .extracting(RegionRoute::getWeight)
        .containsExactly(Integer.MAX_VALUE);
  }
}
