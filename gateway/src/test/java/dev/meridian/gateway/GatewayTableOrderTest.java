package dev.meridian.gateway;

import static dev.meridian.gateway.GatewayFixture.EU;
import static dev.meridian.gateway.GatewayFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.routing.ProtoJson;
import dev.meridian.core.routing.RoutingTableJson;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RoutingSnapshot;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.MeridianLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real gateway never goes back to an older routing table, whether from Consul or its disk. */
class GatewayTableOrderTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final String REJECTED = "gateway.routing.tables_rejected{model=" + MODEL + "}";

  @TempDir Path dir;
  private final GatewayFixture fixture = new GatewayFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  private static RoutingTable table(long epoch, long version) {
    return RoutingTable.newBuilder()
        .setModelName(MODEL)
        .setLeaderEpoch(epoch)
        .setVersion(version)
        .addRegions(RegionRoute.newBuilder().setRegion(EU).setWeight(100))
        .build();
  }

  private void inConsul(RoutingTable table) {
    fixture
        .registry
        .kv()
        .put(MeridianLayout.routingTableKey(MODEL), RoutingTableJson.encode(table), EU);
  }

  @Test
  void keepsItsDiskTableOverAnOlderOneInConsulAndTakesTheNextNewerOne() throws Exception {
    Path lastKnownGood = dir.resolve("lkg.json");
    Files.writeString(
        lastKnownGood,
        ProtoJson.encode(RoutingSnapshot.newBuilder().addTables(table(5, 10))),
        StandardCharsets.UTF_8);
    inConsul(table(4, 30));

    fixture.startGateway(lastKnownGood, config -> config);

    await().atMost(BOUND).until(() -> fixture.metrics.counter(REJECTED).getCount() == 1);
    assertThat(fixture.gateway.routingState().table(MODEL)).contains(table(5, 10));

    inConsul(table(5, 11));
    await()
        .atMost(BOUND)
        .until(() -> fixture.gateway.routingState().table(MODEL).orElseThrow().getVersion() == 11);
  }
}
