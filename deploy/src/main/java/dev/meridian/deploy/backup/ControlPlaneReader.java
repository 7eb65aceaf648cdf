package dev.meridian.deploy.backup;

import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.RegistryException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Takes a backup: reads the routing tables, the drains document and the epoch counter from each
 * datacenter and keeps, of every key, the newest copy ({@link Stamp#NEWEST}) and, of the counter,
 * the highest. A copy that is not a record (no JSON object, a bad version) is reported and left
 * out, so one corrupted datacenter does not stop a backup of the others.
 */
public final class ControlPlaneReader {
  private final ConsulRegistry registry;
  private final Consumer<String> warnings;

  /** A reader through {@code registry}, telling {@code warnings} of every copy it leaves out. */
  public ControlPlaneReader(ConsulRegistry registry, Consumer<String> warnings) {
    this.registry = registry;
    this.warnings = warnings;
  }

  /**
   * Reads {@code datacenters}.
   *
   * @param controlDatacenter the control datacenter, when the operator named it; else the one whose
   *     epoch counter is the highest
   * @param now when the backup is taken
   * @throws RegistryException naming the datacenter that could not be read
   */
  public ControlPlaneBackup read(
      List<String> datacenters, Optional<String> controlDatacenter, Instant now) {
    Map<String, String> newest = new HashMap<>();
    Map<String, Stamp> stamps = new HashMap<>();
    Map<String, Long> counters = new LinkedHashMap<>();
    for (String datacenter : datacenters) {
      for (KvEntry copy : records(datacenter)) {
        stamp(copy, datacenter)
            .filter(
                stamp ->
                    !stamps.containsKey(copy.key())
                        || Stamp.NEWEST.compare(stamp, stamps.get(copy.key())) > 0)
            .ifPresent(
                stamp -> {
                  stamps.put(copy.key(), stamp);
                  newest.put(copy.key(), copy.value());
                });
      }
      counter(datacenter).ifPresent(epoch -> counters.put(datacenter, epoch));
    }
    Optional<Map.Entry<String, Long>> highest =
        counters.entrySet().stream().max(Map.Entry.comparingByValue());
    BackupInfo info =
        new BackupInfo(
            BackupInfo.LAYOUT,
            now,
            datacenters,
            controlDatacenter.isPresent() ? controlDatacenter : highest.map(Map.Entry::getKey));
    return new ControlPlaneBackup(
        info,
        newest,
        highest.map(counter -> OptionalLong.of(counter.getValue())).orElse(OptionalLong.empty()));
  }

  /** The routing tables and the drains document of {@code datacenter}. */
  private List<KvEntry> records(String datacenter) {
    List<KvEntry> copies =
        new ArrayList<>(registry.kv().list(MeridianLayout.ROUTING_PREFIX, datacenter, 0).value());
    registry.kv().get(MeridianLayout.DRAINS_KEY, datacenter, 0).value().ifPresent(copies::add);
    return copies.stream().filter(copy -> ControlPlaneBackup.isRecordKey(copy.key())).toList();
  }

  private Optional<Stamp> stamp(KvEntry copy, String datacenter) {
    try {
      return Optional.of(Stamp.of(copy.value(), copy.key() + " in " + datacenter));
    } catch (IllegalArgumentException e) {
      warnings.accept("left out " + e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<Long> counter(String datacenter) {
    Optional<KvEntry> counter = registry.kv().get(MeridianLayout.EPOCH_KEY, datacenter, 0).value();
    try {
      return counter.map(
          entry ->
              ControlPlaneBackup.epoch(
                  entry.value(), MeridianLayout.EPOCH_KEY + " in " + datacenter));
    } catch (IllegalArgumentException e) {
      warnings.accept("left out " + e.getMessage());
      return Optional.empty();
    }
  }
}
