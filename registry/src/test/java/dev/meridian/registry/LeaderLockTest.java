package dev.meridian.registry;

import static dev.meridian.registry.DevConsulFixture.DC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leader election on a session lock, against the dev Consul on its manual clock. */
class LeaderLockTest {
  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final String KEY = "meridian/leader";
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Duration LOCK_DELAY = Duration.ofSeconds(15);

  private final DevConsulFixture fixture = new DevConsulFixture();
  private final List<AutoCloseable> locks = new CopyOnWriteArrayList<>();

  /** Records a candidate's transitions, and completes a future on the first of each kind. */
  private static final class Events implements LeadershipListener {
    final List<String> log = new CopyOnWriteArrayList<>();
    final CompletableFuture<Long> firstElected = new CompletableFuture<>();
    final CompletableFuture<String> firstDeposed = new CompletableFuture<>();

    @Override
    public void elected(long epoch) {
      log.add("elected " + epoch);
      firstElected.complete(epoch);
    }

    @Override
    public void deposed(String reason) {
      log.add("deposed: " + reason);
      firstDeposed.complete(reason);
    }
  }

  private LeaderLock candidate(String name, Events events, FakeTicker ticker) {
    LeaderLockConfig config =
        new LeaderLockConfig(
            KEY, DC, name, TTL, LOCK_DELAY, Duration.ofMillis(50), Duration.ofMillis(50));
    LeaderLock lock =
        ticker == null
            ? LeaderLock.start(fixture.registry, config, events)
            : LeaderLock.start(fixture.registry, config, events, ticker, Sleeper.SYSTEM);
    locks.add(lock);
    return lock;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable lock : locks) {
      lock.close();
    }
    fixture.close();
  }

  @Test
  void oneCandidateLeadsAndTheEpochIsTheLockIndex() {
    Events a = new Events();
    Events b = new Events();
    LeaderLock first = candidate("a", a, null);
    await().atMost(BOUND).until(first::isLeader);
    LeaderLock second = candidate("b", b, null);

    assertThat(first.epoch()).isEqualTo(1);
    assertThat(a.log).containsExactly("elected 1");
    KvEntry entry = fixture.registry.kv().get(KEY, DC, 0).value().orElseThrow();
    assertThat(entry.value()).isEqualTo("a");
    assertThat(entry.session()).isEqualTo(first.sessionId());
    assertThat(second.isLeader()).isFalse();
    assertThat(b.log).isEmpty();
  }

  @Test
  void invalidatedSessionDeposesTheLeaderAndTheLockWaitsOutTheLockDelay() {
    Events a = new Events();
    Events b = new Events();
    LeaderLock first = candidate("a", a, null);
    await().atMost(BOUND).until(first::isLeader);
    LeaderLock second = candidate("b", b, null);

    String session = first.sessionId().orElseThrow();
    fixture.registry.sessions().destroy(session, DC);

    // Waits for the news itself: the lock stops leading before it tells its listener, so a
    // leader seen not leading may not have told it yet.
    assertThat(a.firstDeposed).succeedsWithin(BOUND).isEqualTo("session " + session + " ended");
    assertThat(first.isLeader()).isFalse();
    // Within the lock-delay nobody may take the lock, however often they try: neither the
    // standby nor the deposed leader, which campaigns again with a new session.
    await()
        .during(Duration.ofMillis(500))
        .atMost(BOUND)
        .until(() -> !second.isLeader() && !first.isLeader());
    assertThat(b.log).isEmpty();
    // As when its process has died; left campaigning, it would race the standby for the lock.
    first.close();

    fixture.advance(LOCK_DELAY.plusSeconds(1));

    assertThat(b.firstElected).succeedsWithin(BOUND).isEqualTo(2L);
    assertThat(second.epoch()).isEqualTo(2);
    assertThat(a.log).containsExactly("elected 1", "deposed: session " + session + " ended");
  }

  @Test
  void leaderStepsDownWhenItCannotRenewForHalfTheTtl() {
    FakeTicker ticker = new FakeTicker();
    Events a = new Events();
    LeaderLock leader = candidate("a", a, ticker);
    await().atMost(BOUND).until(leader::isLeader);

    fixture.consul().faults(DC).setNoLeader(true);
    ticker.advance(TTL.dividedBy(2));

    assertThat(leader.isLeader()).as("no renewal for half the TTL").isFalse();
    await()
        .atMost(BOUND)
        .until(() -> a.log.stream().anyMatch(line -> line.contains("half its TTL")));
  }

  @Test
  void closingTheLeaderReleasesTheLockWithoutLockDelay() {
    Events a = new Events();
    Events b = new Events();
    LeaderLock first = candidate("a", a, null);
    await().atMost(BOUND).until(first::isLeader);
    LeaderLock second = candidate("b", b, null);

    first.close();

    await().atMost(BOUND).until(second::isLeader);
    assertThat(second.epoch()).isEqualTo(2);
    assertThat(a.log).containsExactly("elected 1", "deposed: closed");
  }

  @Test
  void aLeaderWhoseKeyIsDeletedStepsDownAndLeadsAgainFromLockIndexOne() {
    Events a = new Events();
    LeaderLock leader = candidate("a", a, null);
    await().atMost(BOUND).until(leader::isLeader);

    // The control datacenter's KV is lost or rebuilt; the session lives on.
    fixture.registry.kv().delete(KEY, DC);

    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(a.log)
                    .containsSubsequence(
                        "elected 1",
                        "deposed: the lock key " + KEY + " no longer names this session",
                        "elected 1"));
    assertThat(leader.isLeader()).isTrue();
  }
}
