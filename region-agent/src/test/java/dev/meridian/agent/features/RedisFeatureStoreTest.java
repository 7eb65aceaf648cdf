package dev.meridian.agent.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RedisFeatureStore} against real {@code redis-server} processes ({@link RedisServers}). */
class RedisFeatureStoreTest {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(50);
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final String CARD = FeatureKeys.key("card_id", "c-1001");
  private static final String OTHER_CARD = FeatureKeys.key("card_id", "c-1002");
  private static final String MISSING = FeatureKeys.key("card_id", "c-none");
  private static final List<String> FIELDS = List.of("amount_avg_7d", "tx_count_24h", "_ts");
  private static final Map<String, String> CARD_HASH =
      Map.of("amount_avg_7d", "42.5", "tx_count_24h", "7", "_ts", "1764633600000");
  private static final Map<String, String> OTHER_HASH =
      Map.of("amount_avg_7d", "3.25", "_ts", "1764633600500", "merchant_risk", "0.9");

  @TempDir Path dir;

  private RedisServers redis;
  private final List<RedisFeatureStore> stores = new ArrayList<>();

  @BeforeEach
  void startRedis() {
    redis = RedisServers.in(dir);
  }

  @AfterEach
  void stopEverything() {
    try {
      stores.forEach(RedisFeatureStore::close);
    } finally {
      if (redis != null) { // null when the test was aborted for want of redis-server
        redis.close();
      }
    }
  }

  @Test
  void readsPresentFieldsOfSeveralKeysInOneReadAndNothingForMissingOnes() throws Exception {
    RedisServers.Server primary = redis.primary();
    primary.write(CARD, CARD_HASH);
    primary.write(OTHER_CARD, OTHER_HASH);
    RedisFeatureStore store = awaitConnected(connect("primary", primary));

    List<Map<String, String>> hashes =
        store.read(List.of(CARD, MISSING, OTHER_CARD), FIELDS, READ_TIMEOUT);

    assertThat(hashes)
        .containsExactly(
            CARD_HASH, Map.of(), Map.of("amount_avg_7d", "3.25", "_ts", "1764633600500"));
    assertThat(store.read(List.of(), FIELDS, READ_TIMEOUT)).isEmpty();
    assertThat(store.name()).isEqualTo("primary");
    assertThat(store).hasToString("primary (" + primary.host() + ":" + primary.port() + ")");

    store.close();
    assertThatThrownBy(() -> store.read(List.of(CARD), FIELDS, READ_TIMEOUT))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(store + " is closed");
  }

  @Test
  void aKeyThatIsNotAHashIsRefused() {
    RedisServers.Server primary = redis.primary();
    primary.set(CARD, "not a hash");
    RedisFeatureStore store = awaitConnected(connect("primary", primary));

    assertThatThrownBy(() -> store.read(List.of(OTHER_CARD, CARD), FIELDS, READ_TIMEOUT))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(store + " refused the read: WRONGTYPE");
  }

  @Test
  void theReplicaServesWhatWasWrittenThroughThePrimary() throws Exception {
    RedisServers.Server primary = redis.primary();
    RedisServers.Server replica = redis.replicaOf(primary);
    primary.write(CARD, CARD_HASH);
    RedisFeatureStore store = awaitConnected(connect("replica", replica));

    assertThat(store.read(List.of(CARD, MISSING), FIELDS, READ_TIMEOUT))
        .containsExactly(CARD_HASH, Map.of());
  }

  @Test
  void aKilledPrimaryFailsReadsUntilItIsBackOnItsPort() throws Exception {
    RedisServers.Server primary = redis.primary();
    primary.write(CARD, CARD_HASH);
    RedisFeatureStore store = awaitConnected(connect("primary", primary));

    primary.kill();
    long killed = System.nanoTime();
    FeatureStoreException down =
        catchThrowableOfType(
            FeatureStoreException.class, () -> store.read(List.of(CARD), FIELDS, READ_TIMEOUT));
    long failed = System.nanoTime();
    assertThat(down).hasMessageStartingWith(store + " failed: ");

    primary.start();
    long started = System.nanoTime();
    primary.write(CARD, CARD_HASH);
    assertThat(awaitRead(store, List.of(CARD))).containsExactly(CARD_HASH);
    System.out.printf(
        Locale.ROOT,
        "killed primary: read failed in %d ms (%s); restarted, read again %d ms after it answered"
            + " PING%n",
        millis(failed - killed),
        down.getMessage(),
        millis(System.nanoTime() - started));
  }

  @Test
  void aPausedPrimaryTimesReadsOutAndAnswersAgainWhenResumed() throws Exception {
    RedisServers.Server primary = redis.primary();
    primary.write(CARD, CARD_HASH);
    primary.write(OTHER_CARD, OTHER_HASH);
    RedisFeatureStore store = awaitConnected(connect("primary", primary));

    primary.pause();
    long paused = System.nanoTime();
    assertThatThrownBy(() -> store.read(List.of(OTHER_CARD, CARD), FIELDS, SHORT_TIMEOUT))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage("primary did not answer within 50ms");
    long timedOut = System.nanoTime();

    primary.resume();
    long resumed = System.nanoTime();
    // The late replies to the cancelled HMGETs must not be taken for this read's.
    assertThat(awaitRead(store, List.of(CARD, OTHER_CARD)))
        .containsExactly(CARD_HASH, Map.of("amount_avg_7d", "3.25", "_ts", "1764633600500"));
    System.out.printf(
        Locale.ROOT,
        "paused primary: read timed out after %d ms; resumed, read again in %d ms%n",
        millis(timedOut - paused),
        millis(System.nanoTime() - resumed));
  }

  @Test
  void aReadInFlightWhenThePrimaryDiesFailsThenRatherThanAtItsTimeout() throws Exception {
    RedisServers.Server primary = redis.primary();
    RedisFeatureStore store = awaitConnected(connect("primary", primary));
    primary.pause();
    FutureTask<List<Map<String, String>>> read =
        new FutureTask<>(() -> store.read(List.of(CARD, OTHER_CARD, MISSING), FIELDS, BOUND));
    Thread reader = new Thread(read, "feature-reader");
    reader.start();
    // Waiting with a timeout only happens in read, once its HMGETs are on the connection. With
    // REJECT_COMMANDS Lettuce fails commands in flight when the connection closes (otherwise it
    // would replay them on the next connection): the read fails at once, not at its timeout.
    await("the read in flight")
        .atMost(BOUND)
        .until(() -> reader.getState() == Thread.State.TIMED_WAITING);

    primary.kill();

    assertThatThrownBy(read::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(store + " failed: ");
    reader.join();
  }

  @Test
  void aPrimaryDownAtConnectTimeIsReadOnceItStarts() throws Exception {
    RedisServers.Server primary = redis.unstarted();
    long connecting = System.nanoTime();
    RedisFeatureStore store = connect("primary", primary);
    long connected = System.nanoTime();

    assertThatThrownBy(() -> store.read(List.of(CARD), FIELDS, READ_TIMEOUT))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(store + " is not connected");
    primary.start();
    long started = System.nanoTime();
    primary.write(CARD, CARD_HASH);
    assertThat(awaitRead(store, List.of(CARD))).containsExactly(CARD_HASH);
    System.out.printf(
        Locale.ROOT,
        "primary down at connect: connect returned in %d ms; read %d ms after the server answered"
            + " PING%n",
        millis(connected - connecting),
        millis(System.nanoTime() - started));
  }

  @Test
  void concurrentReadersEachGetTheirOwnKeysAnswers() throws Exception {
    RedisServers.Server primary = redis.primary();
    int entities = 20;
    for (int i = 0; i < entities; i++) {
      primary.write(entity(i), Map.of("amount_avg_7d", Integer.toString(i), "_ts", "1000" + i));
    }
    RedisFeatureStore store = awaitConnected(connect("primary", primary));
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> work = new ArrayList<>();
      for (int reader = 0; reader < 8; reader++) {
        int first = reader;
        work.add(() -> readRepeatedly(store, first, entities));
      }
      for (Future<Integer> done : readers.invokeAll(work)) {
        assertThat(done.get()).isEqualTo(200);
      }
    } finally {
      readers.shutdownNow();
      assertThat(readers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static int readRepeatedly(RedisFeatureStore store, int first, int entities)
      throws FeatureStoreException {
    for (int n = 0; n < 200; n++) {
      int a = (first + n) % entities;
      int b = (first * 7 + n * 3) % entities;
      List<Map<String, String>> hashes =
          store.read(List.of(entity(a), MISSING, entity(b)), FIELDS, READ_TIMEOUT);
      assertThat(hashes)
          .containsExactly(
              Map.of("amount_avg_7d", Integer.toString(a), "_ts", "1000" + a),
              Map.of(),
              Map.of("amount_avg_7d", Integer.toString(b), "_ts", "1000" + b));
    }
    return 200;
  }

  /** The first read of {@code keys} that the store answers. */
  private static List<Map<String, String>> awaitRead(RedisFeatureStore store, List<String> keys) {
    return await(store + " answers")
        .atMost(BOUND)
        .ignoreException(FeatureStoreException.class)
        .until(() -> store.read(keys, FIELDS, READ_TIMEOUT), Objects::nonNull);
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static String entity(int i) {
    return FeatureKeys.key("card_id", "c-" + i);
  }

  private RedisFeatureStore connect(String name, RedisServers.Server server) {
    RedisFeatureStore store =
        RedisFeatureStore.connect(
            name, server.host(), server.port(), Optional.empty(), CONNECT_TIMEOUT);
    stores.add(store);
    return store;
  }

  /** The store once its first connection is up: {@link RedisFeatureStore#connect} does not wait. */
  private static RedisFeatureStore awaitConnected(RedisFeatureStore store) {
    await(store + " connected")
        .atMost(BOUND)
        .ignoreExceptions()
        .until(() -> store.read(List.of(MISSING), FIELDS, READ_TIMEOUT).equals(List.of(Map.of())));
    return store;
  }
}
