package dev.meridian.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.Ticker;
import dev.meridian.core.server.EventLoops;
import dev.meridian.core.testing.FakeTicker;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.gateway.outlier.OutlierConfig;
import dev.meridian.gateway.outlier.OutlierDetector;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.HealthState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegionSelectorTest {
  private static final Duration PLENTY = Duration.ofSeconds(1);

  private final FakeTicker ticker = new FakeTicker();
  private final RoutingState state = new RoutingState(ticker);
  private final OutlierDetector outliers =
      new OutlierDetector(OutlierConfig.DEFAULTS, ticker, (replica, cause) -> {});
  private final EventLoops eventLoops = EventLoops.perProcessor();
  private final ChannelCache channels =
      new ChannelCache(
          TransportSecurity.plaintext(), eventLoops, 1024, new NoConnectivity(), Ticker.SYSTEM);
  private final ReplicaAvailability availability =
      new ReplicaAvailability(
          outliers, channels, new ReplicaWarmUp(channels, 0, PLENTY, Runnable::run, () -> {}));
  private final ReplicaPicker picker = new ReplicaPicker(state, availability);
  private final RegionPolicyRegistry policies =
      new RegionPolicyRegistry(PolicyConfig.defaults(), (region, model, s) -> {}, ticker);

  @AfterEach
  void closeChannels() {
    channels.close();
    eventLoops.close();
  }

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
            .map(id -> new ReplicaEndpoint(region, id, "192.0.2.1", 1, Set.of("m")))
            .toList());
  }

  private RegionSelector selector(DoubleSupplier random) {
    return new RegionSelector(picker, policies, random);
  }

  private Optional<String> pick(
      RegionSelector selector, RoutingTable table, Set<String> regions, Set<String> replicas) {
    return selector.pick(table, regions, replicas, Set.of(), PLENTY);
  }

  @Test
  void picksInProportionToWeight() {
    replicas("eu", "eu-0");
    replicas("us", "us-0");
    RoutingTable table = table(30, 10);

    assertThat(pick(selector(() -> 0.0), table, Set.of(), Set.of())).contains("eu");
    assertThat(pick(selector(() -> 0.74), table, Set.of(), Set.of())).contains("eu");
    assertThat(pick(selector(() -> 0.76), table, Set.of(), Set.of())).contains("us");
  }

  @Test
  void zeroWeightAndRegionsWithoutReplicasGetNoCalls() {
    replicas("eu", "eu-0");
    RegionSelector selector = selector(() -> 0.99);

    assertThat(pick(selector, table(10, 10), Set.of(), Set.of())).contains("eu");
    replicas("us", "us-0");
    assertThat(pick(selector, table(0, 10), Set.of(), Set.of())).contains("us");
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

    assertThat(pick(selector(() -> 0.99), nowhere, Set.of(), Set.of())).contains("eu");
    assertThat(pick(selector(() -> 0.0), nowhere, Set.of("eu"), Set.of("eu-0")))
        .as("the drained region stays out")
        .isEmpty();
  }

  /** A route with weight 0 in {@code state}, counting replicas as the controller saw them. */
  private static RegionRoute unweighted(String region, RegionState state, int healthy, int total) {
    return RegionRoute.newBuilder()
        .setRegion(region)
        .setState(state)
        .setHealthyReplicas(healthy)
        .setTotalReplicas(total)
        .build();
  }

  private static RoutingTable nowhere(RegionRoute eu, RegionRoute us) {
    return RoutingTable.newBuilder().setModelName("m").addRegions(eu).addRegions(us).build();
  }

  @Test
  void aRegionBeingDrainedIsNoPanicCandidateEither() {
    replicas("eu", "eu-0");
    replicas("us", "us-0");
    RoutingTable table =
        nowhere(
            unweighted("eu", RegionState.REGION_STATE_DOWN, 0, 1),
            unweighted("us", RegionState.REGION_STATE_DRAINING, 1, 1));

    // An equal share for every region not yet DRAINED would have sent this one to us.
    assertThat(pick(selector(() -> 0.99), table, Set.of(), Set.of())).contains("eu");
    assertThat(pick(selector(() -> 0.99), table, Set.of("eu"), Set.of("eu-0")))
        .as("the draining region stays out")
        .isEmpty();
  }

  @Test
  void panicWeighsRegionsByTheirHealthyReplicasThenByTheirRegisteredOnes() {
    replicas("eu", "eu-0");
    replicas("us", "us-0");
    RoutingTable healthy =
        nowhere(
            unweighted("eu", RegionState.REGION_STATE_DEGRADED, 1, 4),
            unweighted("us", RegionState.REGION_STATE_DEGRADED, 3, 4));
    RoutingTable registered =
        nowhere(
            unweighted("eu", RegionState.REGION_STATE_DOWN, 0, 3),
            unweighted("us", RegionState.REGION_STATE_DOWN, 0, 1));
    RoutingTable heldBack =
        nowhere(
            unweighted("eu", RegionState.REGION_STATE_DOWN, 0, 4),
            unweighted("us", RegionState.REGION_STATE_DEGRADED, 1, 1));

    // Equal shares would have sent 0.26 and 0.0 to eu, and 0.74 to us.
    assertThat(pick(selector(() -> 0.24), healthy, Set.of(), Set.of())).contains("eu");
    assertThat(pick(selector(() -> 0.26), healthy, Set.of(), Set.of())).contains("us");
    assertThat(pick(selector(() -> 0.74), registered, Set.of(), Set.of())).contains("eu");
    assertThat(pick(selector(() -> 0.76), registered, Set.of(), Set.of())).contains("us");
    assertThat(pick(selector(() -> 0.0), heldBack, Set.of(), Set.of()))
        .as("a region with healthy replicas beats one that is down")
        .contains("us");
    assertThat(pick(selector(() -> 0.0), heldBack, Set.of("us"), Set.of("us-0")))
        .as("with those tried, the region that is down is still worth a try")
        .contains("eu");
  }

  @Test
  void prefersUntriedRegionsThenUntriedReplicasOfTriedOnes() {
    replicas("eu", "eu-0", "eu-1");
    replicas("us", "us-0");
    RegionSelector selector = selector(() -> 0.0);
    RoutingTable table = table(10, 10);

    assertThat(pick(selector, table, Set.of("eu"), Set.of("eu-0"))).contains("us");
    assertThat(pick(selector, table, Set.of("eu", "us"), Set.of("eu-0", "us-0"))).contains("eu");
    assertThat(pick(selector, table, Set.of("eu", "us"), Set.of("eu-0", "eu-1", "us-0"))).isEmpty();
    assertThat(picker.pick("eu", "m", Set.of("eu-0")))
        .get()
        .extracting(ReplicaEndpoint::id)
        .isEqualTo("eu-1");
  }

  @Test
  void aRegionWhoseReplicasAreAllEjectedGetsNoCallWhileAnotherCanTakeIt() {
    replicas("eu", "eu-0");
    replicas("us", "us-0");
    outliers.eject("eu-0", OutlierDetector.Cause.CONNECT_FAILURE);

    assertThat(pick(selector(() -> 0.0), table(1_000, 1), Set.of(), Set.of())).contains("us");

    outliers.eject("us-0", OutlierDetector.Cause.CONNECT_FAILURE);
    assertThat(pick(selector(() -> 0.0), table(1_000, 1), Set.of(), Set.of()))
        .as("with every replica ejected, trying one beats failing the call")
        .contains("eu");
  }

  @Test
  void ejectedReplicasArePickedLast() {
    replicas("eu", "eu-0", "eu-1");
    outliers.eject("eu-0", OutlierDetector.Cause.UNRESPONSIVE);

    for (int i = 0; i < 10; i++) {
      assertThat(picker.pick("eu", "m", Set.of()))
          .get()
          .extracting(ReplicaEndpoint::id)
          .isEqualTo("eu-1");
    }
    assertThat(picker.bestGrade("eu", "m", Set.of("eu-1")))
        .contains(ReplicaAvailability.Grade.LAST_RESORT);
  }

  @Test
  void aRegionWithAnOpenBreakerIsSkippedAtNoCost() {
    replicas("eu", "eu-0");
    replicas("us", "us-0");
    policies.forRoute("eu", "m").breaker().open();

    assertThat(pick(selector(() -> 0.0), table(1_000, 1), Set.of(), Set.of())).contains("us");
    assertThat(policies.forRoute("eu", "other").available()).as("per model").isTrue();
  }

  @Test
  void aRegionTooSlowForTheCallersRemainingTimeIsNotChosenFirstWhileAnotherFits() {
    replicas("eu", "eu-0");
    replicas("us", "us-0");
    IntStream.range(0, 50)
        .forEach(
            i -> {
              policies.forRoute("eu", "m").latency().record(Duration.ofMillis(400));
              policies.forRoute("us", "m").latency().record(Duration.ofMillis(20));
            });
    RegionSelector selector = selector(() -> 0.0);

    assertThat(selector.pick(table(1_000, 1), Set.of(), Set.of(), Set.of(), PLENTY)).contains("eu");
    assertThat(selector.pick(table(1_000, 1), Set.of(), Set.of(), Set.of(), Duration.ofMillis(200)))
        .as("eu's p90 of 400 ms does not fit in 200 ms; us's 20 ms does")
        .contains("us");
    assertThat(selector.pick(table(1_000, 0), Set.of(), Set.of(), Set.of(), Duration.ofMillis(200)))
        .as("when none fits, the table decides")
        .contains("eu");
  }

  @Test
  void warningReplicasKeepServingAtAReducedShare() {
    state.replaceReplicas(
        "eu",
        List.of(
            new ReplicaEndpoint("eu", "eu-0", "192.0.2.1", 1, Set.of("m"), HealthState.PASSING),
            new ReplicaEndpoint("eu", "eu-1", "192.0.2.2", 1, Set.of("m"), HealthState.WARNING)));
    long warning =
        IntStream.range(0, 3000)
            .mapToObj(i -> picker.pick("eu", "m", Set.of()))
            .filter(replica -> replica.orElseThrow().id().equals("eu-1"))
            .count();

    // Weights 1 and 0.5: a third of the calls.
    assertThat(warning).isBetween(950L, 1050L);
  }
}
