package dev.meridian.gateway.routing;

import com.google.protobuf.Timestamp;
import dev.meridian.core.routing.ProtoJson;
import dev.meridian.proto.routing.v1.ReplicaAddress;
import dev.meridian.proto.routing.v1.RoutingSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gateway's last-known-good view on disk: routing tables and healthy replicas, written
 * atomically (temporary file, then rename) whenever they change, and read at start-up so that a
 * gateway started while Consul is unreachable can still serve.
 */
public final class LastKnownGoodFile {
  private static final Logger logger = Logger.getLogger(LastKnownGoodFile.class.getName());

  private final Path file;
  private final Clock clock;

  /** Creates the file handle; nothing is read or written yet. */
  public LastKnownGoodFile(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** The file's path. */
  public Path path() {
    return file;
  }

  /**
   * Loads the saved view into {@code state}; its tables go through the same rule as those read from
   * Consul, refusals reported to {@code rejections}.
   *
   * @return whether a usable view was loaded; a missing or unreadable file loads nothing
   */
  public boolean loadInto(RoutingState state, TableRejections rejections) {
    if (!Files.exists(file)) {
      return false;
    }
    try {
      RoutingSnapshot snapshot =
          ProtoJson.decode(
              Files.readString(file, StandardCharsets.UTF_8),
              RoutingSnapshot.getDefaultInstance(),
              file.toString());
      rejections.report(state.updateTables(snapshot.getTablesList()));
      Map<String, List<ReplicaEndpoint>> byRegion = new java.util.HashMap<>();
      for (ReplicaAddress replica : snapshot.getReplicasList()) {
        byRegion
            .computeIfAbsent(replica.getRegion(), region -> new ArrayList<>())
            .add(
                new ReplicaEndpoint(
                    replica.getRegion(),
                    replica.getId(),
                    replica.getHost(),
                    replica.getPort(),
                    new HashSet<>(replica.getModelsList())));
      }
      byRegion.forEach(state::replaceReplicas);
      logger.info(
          "event=last_known_good_loaded file="
              + file
              + " tables="
              + snapshot.getTablesCount()
              + " saved_at="
              + snapshot.getSavedAt().getSeconds());
      return snapshot.getTablesCount() > 0;
    } catch (IOException | IllegalArgumentException e) {
      logger.log(Level.WARNING, "cannot read last-known-good file " + file + "; ignoring it", e);
      return false;
    }
  }

  /** Saves {@code state}; a failure is logged, never thrown, as serving matters more. */
  public void save(RoutingState state) {
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
                                .addAllModels(replica.models().stream().sorted().toList()))));
    try {
      Path directory = file.toAbsolutePath().getParent();
      if (directory != null) {
        Files.createDirectories(directory);
      }
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(temporary, ProtoJson.encode(snapshot), StandardCharsets.UTF_8);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      logger.log(Level.WARNING, "cannot save last-known-good file " + file, e);
    }
  }
}
