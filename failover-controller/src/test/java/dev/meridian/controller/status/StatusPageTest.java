package dev.meridian.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.meridian.proto.admin.v1.BreakerStatus;
import dev.meridian.proto.admin.v1.GatewayStatus;
import dev.meridian.proto.admin.v1.ListRegionsResponse;
import dev.meridian.proto.admin.v1.ModelRoute;
import dev.meridian.proto.admin.v1.RegionStatus;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusPageTest {
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
          .setHealthyReplicas(2)
          .setTotalReplicas(2)
          .setReason("drained <script>alert(1)</script>")
          .build();

  @Test
  void theLeadersPageShowsRegionsDrainsAndTables() {
    String page =
        StatusPage.render(
            "10.0.0.5:7400",
            true,
            Optional.of("10.0.0.5:7400"),
            ListRegionsResponse.newBuilder()
                .addRegions(
                    RegionStatus.newBuilder()
                        .setRegion("eu-west")
                        .addModels(
                            ModelRoute.newBuilder().setModelName("fraud-score").setRoute(EU)))
                .addRegions(
                    RegionStatus.newBuilder()
                        .setRegion("us-east")
                        .setDrained(true)
                        .setDrainReason("by operator:alice: kernel upgrade")
                        .addModels(
                            ModelRoute.newBuilder().setModelName("fraud-score").setRoute(US)))
                .addGateways(
                    GatewayStatus.newBuilder()
                        .setGateway("eu-west-gw-a-50051")
                        .setReportedAt(Timestamp.newBuilder().setSeconds(103))
                        .setCallsPerSecond(98.25)
                        .addBreakers(
                            BreakerStatus.newBuilder()
                                .setModelName("fraud-score")
                                .setRegion("us-east")
                                .setState("OPEN")))
                .build(),
            List.of(
                RoutingTable.newBuilder()
                    .setModelName("fraud-score")
                    .setVersion(12)
                    .setLeaderEpoch(3)
                    .setComputedAt(Timestamp.newBuilder().setSeconds(100))
                    .setComputedBy("10.0.0.5:7400")
                    .addRegions(EU)
                    .addRegions(US)
                    .build()),
            Instant.ofEpochSecond(104));

    assertThat(page)
        .contains("<meta http-equiv=\"refresh\" content=\"5\">")
        .contains("Controller 10.0.0.5:7400: <b>leader</b>")
        .contains("<td>us-east</td><td>DRAINED: by operator:alice: kernel upgrade</td>")
        .contains("<h2>Model fraud-score</h2>")
        .contains("version 12, leader epoch 3, computed 4.0 s ago by 10.0.0.5:7400")
        .contains("<tr class=\"ACTIVE\"><td>eu-west</td><td>100</td><td>ACTIVE</td><td>2/2</td>")
        .contains("drained &lt;script&gt;alert(1)&lt;/script&gt;")
        .contains(
            "<tr><td>eu-west-gw-a-50051</td><td>1.0 s ago</td><td>98.3</td><td>fraud-score</td>"
                + "<td>us-east</td><td class=\"OPEN\">OPEN</td></tr>")
        .doesNotContain("<script>");
  }

  @Test
  void aStandbysPageNamesTheLeader() {
    assertThat(
            StatusPage.render(
                "10.0.0.6:7400",
                false,
                Optional.of("10.0.0.5:7400"),
                ListRegionsResponse.getDefaultInstance(),
                List.of(),
                Instant.EPOCH))
        .contains("Controller 10.0.0.6:7400: standby, the leader is 10.0.0.5:7400.")
        .contains("the leader's status page has them")
        .doesNotContain("<table");
  }
}
