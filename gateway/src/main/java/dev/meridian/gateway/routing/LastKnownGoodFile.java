package dev.meridian.gateway.routing;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.Timestamp;
import dev.meridian.core.DaemonThreads;
import dev.meridian.core.routing.ProtoJson;
import dev.meridian.proto.routing.v1.ReplicaAddress;
import dev.meridian.proto.routing.v1.RoutingSnapshot;
import dev.meridian.registry.HealthState;
import dev.meridian.registry.ReplicaProtocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's last-known-good view on disk: routing tables and healthy replicas, written by one
 * background thread whenever they change and read at start-up, so that a gateway started while
 * Consul is unreachable can still serve. Each write goes to a fresh temporary file that is synced
 * before it is renamed into place, so the file is always a whole view. Thread-safe.
 */
public final class LastKnownGoodFile implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(LastKnownGoodFile.class);
  private static final long FLUSH_SECONDS = 10;

  private final Path file;
  private final Clock clock;
  private final Counter corrupt;
  private final Counter saveFailures;
  private final ExecutorService writer;
  // The state to write next; non-null exactly while a write of it is queued and not yet begun.
  private final AtomicReference<RoutingState> pending = new AtomicReference<>();
  // Confined to the writer thread.
  private boolean directorySyncFailed;

  /**
   * Creates the file handle and its writer thread; nothing is read or written yet.
   *
   * @param metrics counts corrupt files found at start-up and failed saves
   */
  public LastKnownGoodFile(Path file, Clock clock, MetricRegistry metrics) {
    this(
        file,
        clock,
        metrics,
        Executors.newSingleThreadExecutor(DaemonThreads.named("last-known-good-writer")));
  }

  /** As the public constructor, writing on {@code writer}, which must run one task at a time. */
  LastKnownGoodFile(Path file, Clock clock, MetricRegistry metrics, ExecutorService writer) {
    this.file = file;
    this.clock = clock;
    this.corrupt = metrics.counter("gateway.last_known_good.corrupt");
    this.saveFailures = metrics.counter("gateway.last_known_good.save_failures");
    this.writer = writer;
  }

  /** The file's path. */
  public Path path() {
    return file;
  }

  /**
   * Loads the saved view into {@code state}; its tables go through the same rule as those read from
   * Consul, refusals reported to {@code rejections}. A file that cannot be read or decoded is
   * counted and logged, and loads nothing at all.
   *
   * @return whether a usable view was loaded
   */
  public boolean loadInto(RoutingState state, TableRejections rejections) {
    if (!Files.exists(file)) {
      return false;
    }
    RoutingSnapshot snapshot;
    try {
      snapshot =
          ProtoJson.decode(
              Files.readString(file, StandardCharsets.UTF_8),
              RoutingSnapshot.getDefaultInstance(),
              file.toString());
    } catch (IOException | IllegalArgumentException e) {
      corrupt.inc();
      logger
          .atWarn()
          .addKeyValue("event", "last_known_good_corrupt")
          .addKeyValue("file", String.valueOf(file))
          .addKeyValue("reason", String.valueOf(e))
          .addKeyValue("action", "start_without_it")
          .setCause(e)
          .log("last-known-good file corrupt");
      return false;
    }
    rejections.report(state.updateTables(snapshot.getTablesList()));
    replicasByRegion(snapshot).forEach(state::replaceReplicas);
    logger
        .atInfo()
        .addKeyValue("event", "last_known_good_loaded")
        .addKeyValue("file", String.valueOf(file))
        .addKeyValue("tables", snapshot.getTablesCount())
        .addKeyValue("saved_at", snapshot.getSavedAt().getSeconds())
        .log("last-known-good file loaded");
    return snapshot.getTablesCount() > 0;
  }

  private static Map<String, List<ReplicaEndpoint>> replicasByRegion(RoutingSnapshot snapshot) {
    Map<String, List<ReplicaEndpoint>> byRegion = new HashMap<>();
    for (ReplicaAddress replica : snapshot.getReplicasList()) {
      byRegion
          .computeIfAbsent(replica.getRegion(), region -> new ArrayList<>())
          .add(
              new ReplicaEndpoint(
                  replica.getRegion(),
                  replica.getId(),
                  replica.getHost(),
                  replica.getPort(),
                  new HashSet<>(replica.getModelsList()),
                  HealthState.PASSING,
                  ReplicaProtocol.named(replica.getProtocol())));
    }
    return byRegion;
  }

  /**
   * Asks for {@code state} to be saved, and returns at once. Saves asked for while one waits to be
   * written collapse into it; the write reads the state when it begins, so the last one always
   * holds the newest state. A failure is counted and logged, never thrown, as serving matters more.
   */
  public void save(RoutingState state) {
    if (pending.getAndSet(state) == null) {
      try {
        writer.execute(this::writePending);
      } catch (RejectedExecutionException e) {
        // Closed: the gateway is stopping, and the final write has run or is running.
        logger
            .atDebug()
            .addKeyValue("file", String.valueOf(file))
            .log("last-known-good file closed; save dropped");
      }
    }
  }

  private void writePending() {
    // Reading the state here rather than in save() is what keeps the newest: two watch threads'
    // snapshots could otherwise reach the writer in either order.
    RoutingState state = pending.getAndSet(null);
    try {
      write(ProtoJson.encode(snapshotOf(state)).getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      saveFailures.inc();
      logger
          .atWarn()
          .addKeyValue("event", "last_known_good_save_failed")
          .addKeyValue("file", String.valueOf(file))
          .addKeyValue("reason", String.valueOf(e))
          .setCause(e)
          .log("last-known-good save failed");
    }
  }

  private RoutingSnapshot snapshotOf(RoutingState state) {
    RoutingSnapshot.Builder snapshot =
        RoutingSnapshot.newBuilder()
            .addAllTables(state.tables())
            .setSavedAt(Timestamp.newBuilder().setSeconds(clock.instant().getEpochSecond()));
    state
        .allReplicas()
        .values()
        .forEach(
            replicas ->
                replicas.forEach(
                    replica ->
                        snapshot.addReplicas(
                            ReplicaAddress.newBuilder()
                                .setRegion(replica.region())
                                .setId(replica.id())
                                .setHost(replica.host())
                                .setPort(replica.port())
                                .addAllModels(replica.models().stream().sorted().toList())
                                .setProtocol(replica.protocol().metaValue()))));
    return snapshot.build();
  }

  private void write(byte[] contents) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(contents);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        // On disk before the rename: a rename can reach the disk before the data it points at,
        // and a crash then leaves an empty or torn file in place of the last good one.
        channel.force(true);
      }
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    syncDirectory(directory);
  }

  /** Makes the rename itself durable; some platforms cannot open or sync a directory. */
  private void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (!directorySyncFailed) {
        directorySyncFailed = true;
        logger
            .atWarn()
            .addKeyValue("event", "last_known_good_directory_sync_failed")
            .addKeyValue("directory", String.valueOf(directory))
            .addKeyValue("effect", "a crash may undo the last save")
            .setCause(e)
            .log("last-known-good directory sync failed (logged once)");
      }
    }
  }

  /**
   * Writes the pending save, if any, waiting up to 10 s for it, and stops the writer; saves asked
   * for afterwards are dropped.
   */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(FLUSH_SECONDS, TimeUnit.SECONDS)) {
        logger
            .atWarn()
            .addKeyValue("event", "last_known_good_flush_timeout")
            .addKeyValue("file", String.valueOf(file))
            .addKeyValue("seconds", FLUSH_SECONDS)
            .log("last-known-good flush timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
