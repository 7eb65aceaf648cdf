package dev.meridian.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.FakeTicker;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingStateTest {
  private final FakeTicker ticker = new FakeTicker();
  private final RoutingState state = new RoutingState(ticker);

  private static RoutingTable table(String model, long epoch, long version) {
    return RoutingTable.newBuilder()
        .setModelName(model)
        .setLeaderEpoch(epoch)
        .setVersion(version)
        .build();
  }

  @Test
  void anOlderVersionOfTheSameEpochIsRefused() {
    state.updateTables(List.of(table("m", 3, 10)));

    assertThat(state.updateTables(List.of(table("m", 3, 9))))
        .containsExactly(new RejectedTable(table("m", 3, 10), table("m", 3, 9)));
    assertThat(state.table("m")).contains(table("m", 3, 10));
  }

  @Test
  void anOlderEpochIsRefusedWhateverItsVersion() {
    state.updateTables(List.of(table("m", 3, 10)));

    assertThat(state.updateTables(List.of(table("m", 2, 50))))
        .containsExactly(new RejectedTable(table("m", 3, 10), table("m", 2, 50)));

    assertThat(state.table("m")).contains(table("m", 3, 10));
  }

  @Test
  void aNewerEpochIsTakenEvenWhenItRestartsVersions() {
    state.updateTables(List.of(table("m", 3, 10)));

    assertThat(state.updateTables(List.of(table("m", 4, 1)))).isEmpty();

    assertThat(state.table("m")).contains(table("m", 4, 1));
  }

  @Test
  void theSameEpochAndVersionIsTakenAgain() {
    RoutingTable held = table("m", 3, 10);
    RoutingTable same = held.toBuilder().setComputedBy("controller-b").build();
    state.updateTables(List.of(held));

    assertThat(state.updateTables(List.of(same))).isEmpty();

    assertThat(state.table("m")).contains(same);
  }

  @Test
  void eachModelIsJudgedOnItsOwn() {
    state.updateTables(List.of(table("a", 3, 10), table("b", 3, 10)));

    assertThat(state.updateTables(List.of(table("a", 3, 9), table("b", 3, 11))))
        .containsExactly(new RejectedTable(table("a", 3, 10), table("a", 3, 9)));

    assertThat(state.table("a")).contains(table("a", 3, 10));
    assertThat(state.table("b")).contains(table("b", 3, 11));
  }

  @Test
  void aReadOfOnlyOlderTablesLeavesTheTablesAgeing() {
    state.updateTables(List.of(table("m", 3, 10)));
    ticker.advance(Duration.ofSeconds(30));

    state.updateTables(List.of(table("m", 3, 9)));

    assertThat(state.tableAge()).contains(Duration.ofSeconds(30));
  }
}
