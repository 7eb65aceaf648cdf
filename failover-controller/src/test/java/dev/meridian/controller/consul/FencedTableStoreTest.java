package dev.meridian.controller.consul;

import static dev.meridian.controller.ConsulFixture.EU;
import static dev.meridian.controller.ConsulFixture.MODEL;
import static dev.meridian.controller.ConsulFixture.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.controller.ConsulFixture;
import dev.meridian.core.routing.RoutingTableJson;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.MeridianLayout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fenced routing-table writes against the dev Consul over HTTP. */
class FencedTableStoreTest {
  private final ConsulFixture fixture = new ConsulFixture();
  private final List<String> rejected = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    fixture.close();
  }

  private FencedTableStore store(FakeLeadership leadership) {
    return new FencedTableStore(fixture.registry(EU), leadership, rejected::add);
  }

  private static RoutingTable table(long version, long epoch, int weight) {
    return RoutingTable.newBuilder()
        .setModelName(MODEL)
        .setVersion(version)
        .setLeaderEpoch(epoch)
        .addRegions(RegionRoute.newBuilder().setRegion(EU).setWeight(weight))
        .build();
  }

  @Test
  void writesEveryDatacenterAndReadsTheNewestBack() throws Exception {
    FencedTableStore store = store(new FakeLeadership(true));

    WriteOutcome outcome = store.write(table(1, 1, 20), List.of(EU, US));

    assertThat(outcome.failed()).isEmpty();
    assertThat(fixture.table(EU)).contains(table(1, 1, 20));
    assertThat(fixture.table(US)).contains(table(1, 1, 20));
    assertThat(store.readNewest(List.of(EU, US)).newest()).containsEntry(MODEL, table(1, 1, 20));
  }

  @Test
  void deposedLeadersWriteIsRejectedAndLeavesTheNewLeadersTable() throws Exception {
    FakeLeadership old = new FakeLeadership(true);
    store(old).write(table(1, 1, 20), List.of(EU, US));
    store(new FakeLeadership(true)).write(table(2, 2, 30), List.of(EU, US));

    // The old leader still believes it leads (its lease has not run out yet).
    assertThatThrownBy(() -> store(old).write(table(2, 1, 99), List.of(EU, US)))
        .isInstanceOf(FencedOutException.class)
        .hasMessageContaining("leader epoch 2, newer than this controller's 1");

    assertThat(fixture.table(EU)).contains(table(2, 2, 30));
    assertThat(fixture.table(US)).contains(table(2, 2, 30));
  }

  @Test
  void controllerThatKnowsItLostLeadershipWritesNothing() {
    FakeLeadership leadership = new FakeLeadership(true);
    leadership.set(false);

    assertThatThrownBy(() -> store(leadership).write(table(1, 1, 20), List.of(EU)))
        .isInstanceOf(FencedOutException.class)
        .hasMessageContaining("no longer the leader");
    assertThat(fixture.table(EU)).isEmpty();
  }

  @Test
  void versionsOnlyIncreaseInADatacenterThatIsAhead() throws Exception {
    fixture
        .registry(US)
        .kv()
        .put(MeridianLayout.routingTableKey(MODEL), RoutingTableJson.encode(table(7, 1, 5)), US);

    WriteOutcome outcome = store(new FakeLeadership(true)).write(table(3, 2, 20), List.of(EU, US));

    assertThat(outcome.version()).isEqualTo(8);
    assertThat(fixture.table(EU).orElseThrow().getVersion()).isEqualTo(3);
    assertThat(fixture.table(US).orElseThrow().getVersion()).isEqualTo(8);
  }

  @Test
  void unreachableDatacenterIsReportedForRetry() throws Exception {
    fixture.consul.faults(US).setNoLeader(true);

    WriteOutcome outcome = store(new FakeLeadership(true)).write(table(1, 1, 20), List.of(EU, US));

    assertThat(outcome.failed()).containsExactly(US);
    assertThat(fixture.table(EU)).isPresent();
  }

  @Test
  void malformedTablesAreSkippedAndReportedAndTheHighestEpochIsFound() throws Exception {
    fixture.registry(EU).kv().put(MeridianLayout.routingTableKey(MODEL), "{\"version\":", EU);
    fixture
        .registry(EU)
        .kv()
        .put(MeridianLayout.routingTableKey("other"), RoutingTableJson.encode(table(4, 3, 1)), EU);
    fixture
        .registry(US)
        .kv()
        .put(MeridianLayout.routingTableKey(MODEL), RoutingTableJson.encode(table(2, 9, 5)), US);

    FencedTableStore.Found found = store(new FakeLeadership(true)).readNewest(List.of(EU, US));

    assertThat(found.newest()).containsOnlyKeys(MODEL);
    assertThat(found.highestEpoch()).isEqualTo(9);
    assertThat(rejected)
        .hasSize(2)
        .anyMatch(line -> line.contains("meridian/routing/" + MODEL))
        .anyMatch(line -> line.contains("meridian/routing/other: the table is of model"));
  }
}
