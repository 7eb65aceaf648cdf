package dev.meridian.registry;

import static dev.meridian.registry.DevConsulFixture.DC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A KV watch on blocking queries, against the dev Consul and its faults. */
class BlockingWatchTest {
  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final String KEY = "meridian/routing/fraud-score";

  private final DevConsulFixture fixture = new DevConsulFixture(Duration.ofSeconds(1));
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private BlockingWatch<Optional<String>> watch;

  @AfterEach
  void close() {
    if (watch != null) {
      watch.close();
    }
    fixture.close();
  }

  private void startWatch() {
    watch =
        BlockingWatch.start(
            "test",
            index -> {
              Versioned<Optional<KvEntry>> read = fixture.registry.kv().get(KEY, DC, index);
              return new Versioned<>(
                  read.value().map(KvEntry::value),
                  read.index(),
                  read.knownLeader(),
                  read.lastContactMillis());
            },
            value -> seen.add(value.orElse("<absent>")));
  }

  @Test
  void deliversTheFirstValueAndEveryChange() {
    startWatch();
    await().atMost(BOUND).until(() -> seen.contains("<absent>"));

    fixture.registry.kv().put(KEY, "v1", DC);
    await().atMost(BOUND).until(() -> seen.contains("v1"));
    fixture.registry.kv().put(KEY, "v2", DC);
    await().atMost(BOUND).until(() -> seen.contains("v2"));

    assertThat(seen).containsExactly("<absent>", "v1", "v2");
    assertThat(watch.sinceLastContact()).isPresent();
  }

  @Test
  void survivesConsulDisappearingAndComingBackWithItsIndexReset() {
    fixture.registry.kv().put("meridian/filler/a", "bump the index", DC);
    fixture.registry.kv().put("meridian/filler/b", "bump the index", DC);
    fixture.registry.kv().put(KEY, "before", DC);
    startWatch();
    await().atMost(BOUND).until(() -> seen.contains("before"));

    fixture.stop();
    fixture.start();
    // The restarted Consul lost its state: its index is below the one the watch holds, and only
    // a watch that resets its index to 0 sees the new value before its wait runs out.
    fixture.registry.kv().put(KEY, "after restart", DC);

    await().atMost(BOUND).until(() -> seen.contains("after restart"));
  }

  @Test
  void keepsGoingThroughNoLeaderErrorsAndReportsStaleness() {
    startWatch();
    await().atMost(BOUND).until(() -> seen.contains("<absent>"));
    fixture.consul().faults(DC).setNoLeader(true);
    await()
        .atMost(BOUND)
        .until(() -> watch.sinceLastContact().orElseThrow().compareTo(Duration.ofMillis(1500)) > 0);

    fixture.consul().faults(DC).setNoLeader(false);
    fixture.registry.kv().put(KEY, "healed", DC);

    await().atMost(BOUND).until(() -> seen.contains("healed"));
    assertThat(watch.sinceLastContact().orElseThrow()).isLessThan(Duration.ofSeconds(5));
  }
}
