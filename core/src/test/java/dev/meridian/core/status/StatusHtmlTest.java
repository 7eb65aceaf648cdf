package dev.meridian.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusHtmlTest {
  private static final RoutingTable TABLE =
      RoutingTable.newBuilder()
          .setModelName("fraud-score")
          .setVersion(7)
          .setLeaderEpoch(2)
          .setComputedAt(Timestamp.newBuilder().setSeconds(100))
          .setComputedBy("10.0.0.5:7400")
          .addRegions(
              RegionRoute.newBuilder()
                  .setRegion("eu-west")
                  .setWeight(100)
                  .setState(RegionState.REGION_STATE_ACTIVE)
                  .setHealthyReplicas(2)
                  .setTotalReplicas(3))
          .build();

  @Test
  void aPageReloadsItselfAndEscapesItsTitle() {
    String page = StatusHtml.end(StatusHtml.begin("a <b> page"));

    assertThat(page)
        .startsWith("<!DOCTYPE html>")
        .contains("<meta http-equiv=\"refresh\" content=\"5\">")
        .contains("<title>a &lt;b&gt; page</title>")
        .endsWith("</body></html>\n");
  }

  @Test
  void aRoutingTableHasARowPerRegionAndTheExtraColumns() {
    StringBuilder html = new StringBuilder();
    StatusHtml.routingTable(
        html,
        TABLE,
        Instant.ofEpochSecond(102, 500_000_000),
        List.of(new StatusHtml.Column("breaker", route -> "HALF_OPEN")));

    assertThat(html.toString())
        .contains("<h2>Model fraud-score</h2>")
        .contains("version 7, leader epoch 2, computed 2.5 s ago by 10.0.0.5:7400")
        .contains("<th>reason</th><th>breaker</th></tr>")
        .contains(
            "<tr class=\"ACTIVE\"><td>eu-west</td><td>100</td><td>ACTIVE</td><td>2/3</td><td></td>"
                + "<td class=\"HALF_OPEN\">HALF_OPEN</td></tr>");
  }

  @Test
  void escapingCoversTextAndAttributes() {
    assertThat(StatusHtml.escape("a<b>&\"'")).isEqualTo("a&lt;b&gt;&amp;&quot;&#39;");
  }
}
