package dev.meridian.controller.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.LoadReport;
import dev.meridian.registry.LoadReport.RegionLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Projections of a drain onto the surviving regions: refused, allowed, spread, unknown load. */
class CapacityProjectionTest {
  private static final String MODEL = "fraud-score";
  private static final String EU = "eu-west";
  private static final String US = "us-east";
  private static final String AP = "ap-south";

  private final RoutingTable.Builder table = RoutingTable.newBuilder().setModelName(MODEL);
  private final Map<String, Map<String, RegionObservation>> observations = new HashMap<>();
  private final Map<String, RegionLoad> load = new LinkedHashMap<>();

  private void region(String region, int weight, RegionState state, long capacity) {
    table.addRegions(
        RegionRoute.newBuilder().setRegion(region).setWeight(weight).setState(state).build());
    observations.put(region, Map.of(MODEL, new RegionObservation(2, 0, 2, capacity, capacity)));
  }

  private void active(String region, int weight, long capacity) {
    region(region, weight, RegionState.REGION_STATE_ACTIVE, capacity);
  }

  private LoadSnapshot reported() {
    // Two gateways, each seeing half of the load: the controller sums them.
    Map<String, RegionLoad> half = new LinkedHashMap<>();
    load.forEach(
        (region, figures) ->
            half.put(region, new RegionLoad(figures.callsPerSecond() / 2, figures.inFlight() / 2)));
    return LoadSnapshot.sum(List.of(report("gw-1", half), report("gw-2", half)));
  }

  private static LoadReport report(String gateway, Map<String, RegionLoad> regions) {
    return new LoadReport(gateway, Instant.EPOCH, Duration.ofSeconds(5), Map.of(MODEL, regions));
  }

  private CapacityProjection drain(String region, LoadSnapshot snapshot) {
    return CapacityProjection.of(region, 1, List.of(table.build()), observations, snapshot, 0.8);
  }

  @Test
  void aDrainThatTakesASurvivorPastTheLimitOverloadsIt() {
    active(EU, 20, 20);
    active(US, 20, 20);
    load.put(EU, new RegionLoad(100, 12));
    load.put(US, new RegionLoad(120, 15));

    CapacityProjection projection = drain(US, reported());

    assertThat(projection.overloads()).isTrue();
    assertThat(projection.overloaded())
        .containsExactly("eu-west at 1.35 of its capacity (27.0 in flight of 20) for fraud-score");
    assertThat(projection.limit()).isEqualTo("limit 0.80");
    CapacityProjection.ModelProjection model = projection.models().get(0);
    assertThat(model.loadKnown()).isTrue();
    assertThat(model.moving()).isEqualTo(new RegionLoad(120, 15));
    assertThat(model.survivors())
        .singleElement()
        .satisfies(
            eu -> {
              assertThat(eu.share()).isEqualTo(1.0);
              assertThat(eu.inFlight()).isEqualTo(12.0);
              assertThat(eu.capacity()).isEqualTo(20);
              assertThat(eu.overLimit()).isTrue();
            });
    assertThat(projection.warnings()).isEmpty();
  }

  @Test
  void aDrainTheSurvivorsHaveHeadroomForIsAllowed() {
    active(EU, 20, 20);
    active(US, 20, 20);
    load.put(EU, new RegionLoad(100, 6));
    load.put(US, new RegionLoad(100, 6));

    CapacityProjection projection = drain(US, reported());

    assertThat(projection.overloads()).isFalse();
    assertThat(projection.models().get(0).survivors().get(0).utilisation()).isEqualTo(0.6);
  }

  @Test
  void theMovingLoadSpreadsInProportionToTheSurvivorsWeights() {
    active(EU, 30, 40);
    active(US, 10, 40);
    active(AP, 20, 40);
    load.put(AP, new RegionLoad(0, 8));

    List<CapacityProjection.Survivor> survivors = drain(AP, reported()).models().get(0).survivors();

    assertThat(survivors).extracting(CapacityProjection.Survivor::region).containsExactly(EU, US);
    assertThat(survivors.get(0).share()).isEqualTo(0.75);
    assertThat(survivors.get(0).projectedInFlight()).isEqualTo(6.0);
    assertThat(survivors.get(1).projectedInFlight()).isEqualTo(2.0);
  }

  @Test
  void aRegionAlreadyDrainingIsNoSurvivor() {
    active(EU, 20, 20);
    region(US, 10, RegionState.REGION_STATE_DRAINING, 20);
    active(AP, 20, 20);
    load.put(AP, new RegionLoad(0, 4));

    assertThat(drain(AP, reported()).models().get(0).survivors())
        .extracting(CapacityProjection.Survivor::region)
        .containsExactly(EU);
  }

  @Test
  void aRampStepMovesOnlyItsFraction() {
    active(EU, 20, 20);
    active(US, 20, 20);
    load.put(EU, new RegionLoad(0, 10));
    load.put(US, new RegionLoad(0, 12));

    CapacityProjection step =
        CapacityProjection.of(US, 0.25, List.of(table.build()), observations, reported(), 0.8);

    assertThat(step.models().get(0).survivors().get(0).projectedInFlight())
        .isCloseTo(13.0, within(1e-9));
    assertThat(step.overloads()).isFalse();
  }

  @Test
  void withoutReportsTheLoadIsUnknownAndTheDrainAllowedWithAWarning() {
    active(EU, 20, 20);
    active(US, 20, 20);

    CapacityProjection projection = drain(US, LoadSnapshot.NONE);

    assertThat(projection.overloads()).isFalse();
    assertThat(projection.models().get(0).loadKnown()).isFalse();
    assertThat(projection.warnings())
        .containsExactly(
            "no fresh load report names fraud-score: the survivors' capacity was not checked for"
                + " it");
  }

  @Test
  void aSurvivorWithoutCapacityThatWouldGetCallsIsInfinitelyOverloaded() {
    active(EU, 20, 0);
    active(US, 20, 20);
    load.put(US, new RegionLoad(10, 1));

    CapacityProjection.Survivor eu = drain(US, reported()).models().get(0).survivors().get(0);

    assertThat(eu.utilisation()).isInfinite();
    assertThat(eu.overLimit()).isTrue();
  }
}
