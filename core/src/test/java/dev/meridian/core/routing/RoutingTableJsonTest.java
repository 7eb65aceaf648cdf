package dev.meridian.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import org.junit.jupiter.api.Test;

class RoutingTableJsonTest {
  @Test
  void roundTripsAndToleratesUnknownFields() {
    RoutingTable table =
        RoutingTable.newBuilder()
            .setModelName("fraud-score")
            .setVersion(7)
            .addRegions(
                RegionRoute.newBuilder()
                    .setRegion("eu-west")
                    .setWeight(100)
                    .setState(RegionState.REGION_STATE_ACTIVE))
            .build();

    String json = RoutingTableJson.encode(table);
    assertThat(json).contains("\"modelName\": \"fraud-score\"").contains("REGION_STATE_ACTIVE");
    assertThat(RoutingTableJson.decode(json, "kv")).isEqualTo(table);
    assertThat(
            RoutingTableJson.decode("{\"modelName\":\"m\",\"fromTheFuture\":1}", "kv")
                .getModelName())
        .isEqualTo("m");
  }

  @Test
  void garbageIsRejectedNamingTheSource() {
    assertThatThrownBy(() -> RoutingTableJson.decode("not json", "meridian/routing/m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("meridian/routing/m: not a RoutingTable");
  }
}
