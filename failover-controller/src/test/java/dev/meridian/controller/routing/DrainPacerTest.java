package dev.meridian.controller.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.FakeTicker;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.LoadReport;
import dev.meridian.registry.LoadReport.RegionLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A drain's ramp under the pacer, on a fake ticker: 60 s in 4 steps, limit 0.8. */
class DrainPacerTest {
  private static final String MODEL = "fraud-score";
  private static final String EU = "eu-west";
  private static final String US = "us-east";
  private static final RoutingPolicy POLICY =
      new RoutingPolicy(
          Duration.ofSeconds(1), 0.75, Duration.ZERO, Duration.ZERO, 1, Duration.ofSeconds(60), 4);
  private static final RegionObservation TWENTY = new RegionObservation(2, 0, 2, 20, 20);

  private final FakeTicker ticker = new FakeTicker();
  private final ModelRouter router = new ModelRouter(MODEL, List.of(EU, US), POLICY, ticker);
  private final DrainPacer pacer = new DrainPacer(POLICY, 0.8);
  private final Map<String, Map<String, RegionObservation>> observations =
      Map.of(EU, Map.of(MODEL, TWENTY), US, Map.of(MODEL, TWENTY));
  private final Map<String, Drain> drains =
      Map.of(US, new Drain("alice", "kernel upgrade", ticker.nanoTime()));
  private RoutingTable published = router.compute(Map.of(EU, TWENTY, US, TWENTY), Map.of());
  private LoadSnapshot load = LoadSnapshot.NONE;

  /** The gateways report {@code eu} and {@code us} calls in flight. */
  private void inFlight(double eu, double us) {
    load =
        LoadSnapshot.sum(
            List.of(
                new LoadReport(
                    "gw",
                    Instant.EPOCH,
                    Duration.ofSeconds(5),
                    Map.of(MODEL, Map.of(EU, new RegionLoad(0, eu), US, new RegionLoad(0, us))))));
  }

  private RegionRoute us() {
    published =
        router.compute(
            Map.of(EU, TWENTY, US, TWENTY),
            pacer.pace(drains, List.of(published), observations, load, ticker.nanoTime()));
    return published.getRegions(1);
  }

  private void advance(int seconds) {
    ticker.advance(Duration.ofSeconds(seconds));
  }

  @Test
  void theRampPausesBeforeAStepTheSurvivorsCannotCarryAndResumesWithHeadroom() {
    inFlight(10, 10);
    assertThat(us().getWeight()).isEqualTo(20);

    advance(15);
    assertThat(us().getWeight()).as("step 1 moves 2.5 of 10: eu-west at 0.63").isEqualTo(15);
    inFlight(12.5, 7.5);
    advance(15);
    assertThat(us().getWeight()).as("step 2 moves 2.5 of 7.5: eu-west at 0.75").isEqualTo(10);
    inFlight(15, 5);
    advance(15);
    RegionRoute paused = us();
    assertThat(paused.getWeight()).as("step 3 would put eu-west at 0.88").isEqualTo(10);
    assertThat(paused.getState()).isEqualTo(RegionState.REGION_STATE_DRAINING);
    assertThat(paused.getReason())
        .isEqualTo(
            "draining by alice: kernel upgrade (step 2/4; paused before step 3/4: it would put"
                + " eu-west at 0.88 of its capacity (17.5 in flight of 20) for fraud-score;"
                + " limit 0.80)");
    advance(40);
    assertThat(us().getWeight()).as("still paused while the load holds").isEqualTo(10);

    inFlight(8, 5);
    advance(1);
    assertThat(us().getWeight()).as("the step is taken once there is headroom").isEqualTo(5);
    assertThat(published.getRegions(1).getReason())
        .isEqualTo("draining by alice: kernel upgrade (step 3/4)");
    advance(13);
    assertThat(us().getWeight()).as("the next step keeps its own interval").isEqualTo(5);
    advance(2);
    assertThat(us().getWeight()).isEqualTo(0);
    assertThat(published.getRegions(1).getState()).isEqualTo(RegionState.REGION_STATE_DRAINED);
  }

  @Test
  void aForcedDrainIsNeverPaused() {
    inFlight(18, 10);
    pacer.forced(US);
    us();

    advance(15);

    assertThat(us().getWeight()).isEqualTo(15);
  }

  @Test
  void withoutReportsTheRampRunsAsBefore() {
    us();
    advance(60);

    assertThat(us().getState()).isEqualTo(RegionState.REGION_STATE_DRAINED);
  }
}
