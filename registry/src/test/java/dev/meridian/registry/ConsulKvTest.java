package dev.meridian.registry;

import static dev.meridian.registry.DevConsulFixture.DC;
import static dev.meridian.registry.DevConsulFixture.OTHER_DC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** KV through the facade, against the dev Consul. */
class ConsulKvTest {
  private final DevConsulFixture fixture = new DevConsulFixture();
  private final ConsulKv kv = fixture.registry.kv();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void missingKeyIsEmptyWithAnIndexToWaitOn() {
    Versioned<Optional<KvEntry>> missing = kv.get("meridian/routing/x", DC, 0);
    assertThat(missing.value()).isEmpty();
    assertThat(missing.index()).isPositive();
  }

  @Test
  void putAndGetRoundTripUtf8PerDatacenter() {
    kv.put("meridian/routing/fraud-score", "{\"weight\": \"ünïcode\"}", DC);

    KvEntry entry = kv.get("meridian/routing/fraud-score", DC, 0).value().orElseThrow();
    assertThat(entry.value()).isEqualTo("{\"weight\": \"ünïcode\"}");
    assertThat(entry.modifyIndex()).isPositive();
    assertThat(entry.session()).isEmpty();
    assertThat(kv.get("meridian/routing/fraud-score", OTHER_DC, 0).value()).isEmpty();
  }

  @Test
  void compareAndSetConflictsAreReportedNotOverwritten() {
    assertThat(kv.compareAndSet("t", "v1", 0, DC)).as("create if absent").isTrue();
    assertThat(kv.compareAndSet("t", "v1b", 0, DC)).as("exists already").isFalse();
    long index = kv.get("t", DC, 0).value().orElseThrow().modifyIndex();

    assertThat(kv.compareAndSet("t", "v2", index, DC)).isTrue();
    assertThat(kv.compareAndSet("t", "stale writer", index, DC)).isFalse();

    assertThat(kv.get("t", DC, 0).value().orElseThrow().value()).isEqualTo("v2");
  }

  @Test
  void listReturnsKeysUnderAPrefixSortedAndDeleteRemoves() {
    kv.put("meridian/routing/b", "2", DC);
    kv.put("meridian/routing/a", "1", DC);
    kv.put("meridian/other", "x", DC);

    assertThat(kv.list("meridian/routing/", DC, 0).value())
        .extracting(KvEntry::key)
        .containsExactly("meridian/routing/a", "meridian/routing/b");

    kv.delete("meridian/routing/a", DC);
    kv.delete("meridian/routing/never-was", DC);
    assertThat(kv.list("meridian/routing/", DC, 0).value())
        .extracting(KvEntry::key)
        .containsExactly("meridian/routing/b");
    assertThat(kv.list("nothing/here/", DC, 0).value()).isEmpty();
  }

  @Test
  void unknownDatacenterIsRejectedAndBadKeysNeverLeaveTheProcess() {
    assertThatThrownBy(() -> kv.get("k", "mars", 0))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("No path to datacenter");
    assertThatThrownBy(() -> kv.put("a/../b", "x", DC))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void consulWithoutALeaderIsUnavailable() {
    fixture.consul().faults(DC).setNoLeader(true);

    assertThatThrownBy(() -> kv.put("k", "v", DC))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("No cluster leader");
  }

  @Test
  void stoppedConsulIsUnavailable() {
    fixture.stop();

    assertThatThrownBy(() -> kv.get("k", DC, 0))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("unreachable");
    fixture.start();
  }
}
