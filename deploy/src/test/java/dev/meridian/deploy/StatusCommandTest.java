package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.meridian.proto.admin.v1.BreakerStatus;
import dev.meridian.proto.admin.v1.GatewayStatus;
import dev.meridian.proto.admin.v1.ModelRoute;
import dev.meridian.proto.admin.v1.RegionStatus;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
  private static final RegionRoute EU =
      RegionRoute.newBuilder()
          .setRegion("eu-west")
          .setWeight(100)
          .setState(RegionState.REGION_STATE_ACTIVE)
          .setHealthyReplicas(2)
          .setTotalReplicas(2)
          .build();
  private static final RegionRoute US =
      RegionRoute.newBuilder()
          .setRegion("us-east")
          .setState(RegionState.REGION_STATE_DRAINED)
          .setTotalReplicas(2)
          .setHealthyReplicas(2)
          .setReason("drained by an operator: maintenance")
          .build();

  @Test
  void regionsSayWhichAreDrainedAndWhy() {
    assertThat(
            StatusCommand.regions(
                List.of(
                    RegionStatus.newBuilder()
                        .setRegion("eu-west")
                        .addModels(ModelRoute.newBuilder().setModelName("fraud-score").setRoute(EU))
                        .build(),
                    RegionStatus.newBuilder()
                        .setRegion("us-east")
                        .setDrained(true)
                        .setDrainReason("maintenance")
                        .addModels(ModelRoute.newBuilder().setModelName("fraud-score").setRoute(US))
                        .build())))
        .isEqualTo(
            """
            regions
              eu-west      in service (models: fraud-score)
              us-east      DRAINED: maintenance (models: fraud-score)
            """);
  }

  @Test
  void gatewaysSayWhichBreakersAreNotClosed() {
    GatewayStatus.Builder eu =
        GatewayStatus.newBuilder()
            .setGateway("eu-west-gw-a-50051")
            .setReportedAt(Timestamp.newBuilder().setSeconds(1_000))
            .setCallsPerSecond(98.25);
    List<GatewayStatus> gateways =
        List.of(
            eu.clone()
                .addBreakers(breaker("eu-west", "CLOSED"))
                .addBreakers(breaker("us-east", "OPEN"))
                .build(),
            eu.clone()
                .setGateway("eu-west-gw-b-50051")
                .addBreakers(breaker("eu-west", "CLOSED"))
                .build(),
            eu.clone().setGateway("eu-west-gw-c-50051").setCallsPerSecond(0).build());

    assertThat(StatusCommand.gateways(gateways, Instant.ofEpochSecond(1_002)))
        .isEqualTo(
            """
            gateways
              eu-west-gw-a-50051           reported 2.0 s ago, 98.3 calls/s, breakers fraud-score to us-east OPEN
              eu-west-gw-b-50051           reported 2.0 s ago, 98.3 calls/s, breakers all closed
              eu-west-gw-c-50051           reported 2.0 s ago, 0.0 calls/s, no breakers yet
            """);
    assertThat(StatusCommand.gateways(List.of(), Instant.EPOCH))
        .isEqualTo("gateways\n  none reporting\n");
  }

  private static BreakerStatus breaker(String region, String state) {
    return BreakerStatus.newBuilder()
        .setModelName("fraud-score")
        .setRegion(region)
        .setState(state)
        .build();
  }

  @Test
  void aTableSaysWhoComputedItWhenAndUnderWhichEpoch() {
    RoutingTable table =
        RoutingTable.newBuilder()
            .setModelName("fraud-score")
            .setVersion(41)
            .setLeaderEpoch(7)
            .setComputedAt(Timestamp.newBuilder().setSeconds(1_000))
            .setComputedBy("controller-0")
            .addRegions(EU)
            .addRegions(US)
            .build();

    assertThat(StatusCommand.table(table, Instant.ofEpochSecond(1_002, 500_000_000)))
        .startsWith(
            "model fraud-score version 41, leader epoch 7, computed 2.5 s ago by controller-0\n")
        .contains("eu-west      weight 100    ACTIVE    2/2 replicas")
        .contains("us-east      weight 0      DRAINED   2/2 replicas  drained by an operator");
  }
}
