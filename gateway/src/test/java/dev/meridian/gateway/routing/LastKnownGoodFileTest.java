package dev.meridian.gateway.routing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.routing.ProtoJson;
import dev.meridian.core.testing.FakeTicker;
import dev.meridian.core.testing.LogCapture;
import dev.meridian.proto.routing.v1.ReplicaAddress;
import dev.meridian.proto.routing.v1.RoutingSnapshot;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LastKnownGoodFileTest {
  @TempDir Path dir;
  private final MetricRegistry metrics = new MetricRegistry();
  private final RoutingState state = new RoutingState(new FakeTicker());

  private static RoutingTable table(String model, long version) {
    return RoutingTable.newBuilder()
        .setModelName(model)
        .setLeaderEpoch(1)
        .setVersion(version)
        .build();
  }

  private Path path() {
    return dir.resolve("lkg.json");
  }

  private LastKnownGoodFile file() {
    return new LastKnownGoodFile(path(), Clock.systemUTC(), metrics);
  }

  private Set<RoutingTable> tablesOnDisk() {
    RoutingState loaded = new RoutingState(new FakeTicker());
    assertThat(file().loadInto(loaded, new TableRejections(metrics))).isTrue();
    return Set.copyOf(loaded.tables());
  }

  private List<Path> filesInDir() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  @Test
  void concurrentSavesLeaveAFileThatAlwaysDecodesAndEndsWithTheNewestState() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean saving = new AtomicBoolean(true);
    List<String> unreadable = new CopyOnWriteArrayList<>();
    Future<?> reader =
        pool.submit(
            () -> {
              while (saving.get()) {
                try {
                  if (Files.exists(path())) {
                    ProtoJson.decode(
                        Files.readString(path(), UTF_8),
                        RoutingSnapshot.getDefaultInstance(),
                        "read");
                  }
                } catch (Exception e) {
                  unreadable.add(e.toString());
                }
              }
            });
    List<Future<?>> savers = new ArrayList<>();
    try (LastKnownGoodFile file = file()) {
      for (int t = 0; t < threads; t++) {
        String model = "model-" + t;
        savers.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int version = 1; version <= 200; version++) {
                    state.updateTables(List.of(table(model, version)));
                    file.save(state);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> saver : savers) {
        saver.get();
      }
    }
    saving.set(false);
    reader.get();
    pool.shutdown();

    assertThat(unreadable).isEmpty();
    assertThat(tablesOnDisk()).isEqualTo(Set.copyOf(state.tables()));
    assertThat(filesInDir()).containsExactly(path());
    assertThat(metrics.counter("gateway.last_known_good.save_failures").getCount()).isZero();
  }

  @Test
  void savesAskedForDuringAWriteCollapseIntoOneWriteOfTheNewestState() throws Exception {
    ThreadPoolExecutor writer =
        new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    writer.execute(
        () -> {
          busy.countDown();
          awaitQuietly(release);
        });
    busy.await();

    try (LastKnownGoodFile file =
        new LastKnownGoodFile(path(), Clock.systemUTC(), metrics, writer)) {
      for (int version = 1; version <= 5; version++) {
        state.updateTables(List.of(table("m", version)));
        file.save(state);
      }
      assertThat(writer.getQueue()).as("one write queued for five saves").hasSize(1);
      release.countDown();
    }

    assertThat(writer.getCompletedTaskCount()).isEqualTo(2);
    assertThat(tablesOnDisk()).containsExactly(table("m", 5));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void closeWritesThePendingSave() {
    state.updateTables(List.of(table("m", 1)));
    try (LastKnownGoodFile file = file()) {
      file.save(state);
    }

    assertThat(tablesOnDisk()).containsExactly(table("m", 1));
  }

  @Test
  void aFailedSaveIsCountedAndLeavesNoTemporaryFile() throws Exception {
    // A non-empty directory where the file should be: the rename onto it fails.
    Files.createDirectories(path());
    Files.writeString(path().resolve("occupant"), "x");
    state.updateTables(List.of(table("m", 1)));

    try (LogCapture log = LogCapture.of(LastKnownGoodFile.class)) {
      try (LastKnownGoodFile file = file()) {
        file.save(state);
      }

      assertThat(log.lines())
          .singleElement()
          .satisfies(
              line -> {
                assertThat(line.fields())
                    .containsEntry("event", "last_known_good_save_failed")
                    .containsEntry("file", path().toString())
                    .containsKey("reason");
                assertThat(line.cause()).isPresent();
              });
    }
    assertThat(metrics.counter("gateway.last_known_good.save_failures").getCount()).isEqualTo(1);
    assertThat(filesInDir()).containsExactly(path());
  }

  static Stream<Arguments> damagedFiles() {
    String whole =
        ProtoJson.encode(
            RoutingSnapshot.newBuilder()
                .addTables(table("m", 1))
                .addReplicas(
                    ReplicaAddress.newBuilder()
                        .setRegion("eu")
                        .setId("eu-0")
                        .setHost("127.0.0.1")
                        .setPort(1)
                        .addModels("m")));
    return Stream.of(
        Arguments.of("truncated", whole.substring(0, whole.length() / 2).getBytes(UTF_8)),
        Arguments.of("empty", new byte[0]),
        Arguments.of("zeros", new byte[64]),
        Arguments.of("not protobuf JSON", "[\"lkg\"]".getBytes(UTF_8)),
        Arguments.of("not UTF-8", new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedFiles")
  void aCorruptFileIsCountedLoggedAndLoadsNothing(String damage, byte[] contents) throws Exception {
    Files.write(path(), contents);

    try (LogCapture log = LogCapture.of(LastKnownGoodFile.class);
        LastKnownGoodFile file = file()) {
      assertThat(file.loadInto(state, new TableRejections(metrics))).isFalse();

      assertThat(log.lines())
          .singleElement()
          .satisfies(
              line -> {
                assertThat(line.level()).isEqualTo("WARN");
                assertThat(line.fields())
                    .containsEntry("event", "last_known_good_corrupt")
                    .containsEntry("file", path().toString())
                    .containsEntry("action", "start_without_it")
                    .containsKey("reason");
              });
    }
    assertThat(metrics.counter("gateway.last_known_good.corrupt").getCount()).isEqualTo(1);
    assertThat(state.hasTables()).isFalse();
    assertThat(state.tableAge()).isEmpty();
    assertThat(state.allReplicas()).isEmpty();
  }
}
