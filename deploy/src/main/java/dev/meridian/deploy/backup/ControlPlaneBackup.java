package dev.meridian.deploy.backup;

import dev.meridian.registry.ConsulNames;
import dev.meridian.registry.MeridianLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The control plane's state as one backup holds it: the newest routing table of every model, the
 * newest drains document, and the highest leader epoch counter, with the backup's {@link
 * BackupInfo}. Neither the leader lock (a session's, meaningless once restored) nor the gateways'
 * load reports (rewritten within seconds) are part of it.
 *
 * @param info what the backup says about itself
 * @param records the routing tables and the drains document by key, their JSON as read
 * @param epochCounter the control datacenter's {@link MeridianLayout#EPOCH_KEY}, when it had one
 */
public record ControlPlaneBackup(
    BackupInfo info, Map<String, String> records, OptionalLong epochCounter) {
  /** Copies the records, sorted by key; checks that each is a record a backup holds. */
  public ControlPlaneBackup {
    records = Collections.unmodifiableMap(new TreeMap<>(records));
    records.keySet().forEach(ControlPlaneBackup::checkRecordKey);
  }

  /** Whether {@code key} is a routing table's or the drains document's. */
  public static boolean isRecordKey(String key) {
    return key.equals(MeridianLayout.DRAINS_KEY)
        || (key.startsWith(MeridianLayout.ROUTING_PREFIX)
            && key.length() > MeridianLayout.ROUTING_PREFIX.length());
  }

  /** The models whose routing tables the backup holds. */
  public List<String> models() {
    return records.keySet().stream()
        .filter(key -> key.startsWith(MeridianLayout.ROUTING_PREFIX))
        .map(key -> key.substring(MeridianLayout.ROUTING_PREFIX.length()))
        .toList();
  }

  /** The stamp of the record at {@code key}. */
  public Stamp stamp(String key) {
    return Stamp.of(records.get(key), key);
  }

  /** The highest epoch in the backup: of its counter, and of every record's writer. */
  public long highestEpoch() {
    long highest = epochCounter.orElse(0);
    for (String key : records.keySet()) {
      highest = Math.max(highest, stamp(key).leaderEpoch());
    }
    return highest;
  }

  /** The backup as the entries of a {@code consul kv export} file, its info first. */
  public List<KvExportFile.Entry> entries() {
    List<KvExportFile.Entry> entries = new ArrayList<>();
    entries.add(new KvExportFile.Entry(BackupInfo.KEY, 0, info.toJson()));
    epochCounter.ifPresent(
        epoch ->
            entries.add(new KvExportFile.Entry(MeridianLayout.EPOCH_KEY, 0, Long.toString(epoch))));
    records.forEach((key, json) -> entries.add(new KvExportFile.Entry(key, 0, json)));
    return entries;
  }

  /**
   * Reads a backup file.
   *
   * @throws IllegalArgumentException naming the file and the entry that is malformed, unknown, a
   *     second copy of a key, or the leader lock; or the file when it has no {@value
   *     BackupInfo#KEY}
   */
  public static ControlPlaneBackup read(Path file) {
    List<KvExportFile.Entry> entries = KvExportFile.read(file);
    BackupInfo info = null;
    Map<String, String> records = new TreeMap<>();
    OptionalLong epoch = OptionalLong.empty();
    for (int i = 0; i < entries.size(); i++) {
      KvExportFile.Entry entry = entries.get(i);
      String where = file + ": entry " + (i + 1) + " (" + entry.key() + ")";
      boolean repeated =
          records.containsKey(entry.key())
              || (entry.key().equals(BackupInfo.KEY) && info != null)
              || (entry.key().equals(MeridianLayout.EPOCH_KEY) && epoch.isPresent());
      if (repeated) {
        throw new IllegalArgumentException(where + ": the key appears twice");
      }
      if (entry.key().equals(BackupInfo.KEY)) {
        info = BackupInfo.fromJson(entry.value(), where);
      } else if (entry.key().equals(MeridianLayout.EPOCH_KEY)) {
        epoch = OptionalLong.of(epoch(entry.value(), where));
      } else if (isRecordKey(entry.key())) {
        checkRecordKey(entry.key(), where);
        Stamp.of(entry.value(), where);
        records.put(entry.key(), entry.value());
      } else {
        throw new IllegalArgumentException(where + ": " + notBackedUp(entry.key()));
      }
    }
    if (info == null) {
      throw new IllegalArgumentException(
          file + ": no " + BackupInfo.KEY + " entry: not a file `meridian backup` wrote");
    }
    return new ControlPlaneBackup(info, records, epoch);
  }

  /**
   * Reads an epoch counter's value.
   *
   * @param source where it came from, named in the error
   * @throws IllegalArgumentException when it is not a non-negative decimal integer
   */
  public static long epoch(String value, String source) {
    try {
      long epoch = Long.parseLong(value.trim());
      if (epoch >= 0) {
        return epoch;
      }
    } catch (NumberFormatException e) {
      // reported below, with the value
    }
    throw new IllegalArgumentException(
        source + ": epoch counter '" + value + "' (expected: a non-negative decimal integer)");
  }

  private static String notBackedUp(String key) {
    String kept =
        MeridianLayout.ROUTING_PREFIX
            + "<model>, "
            + MeridianLayout.DRAINS_KEY
            + ", "
            + MeridianLayout.EPOCH_KEY
            + " and "
            + BackupInfo.KEY;
    return key.equals(MeridianLayout.LEADER_KEY)
        ? "the leader lock is never backed up or restored (a backup holds " + kept + ")"
        : "not a key a backup holds (expected " + kept + ")";
  }

  private static void checkRecordKey(String key) {
    checkRecordKey(key, key);
  }

  private static void checkRecordKey(String key, String where) {
    if (!isRecordKey(key)) {
      throw new IllegalArgumentException(where + ": " + notBackedUp(key));
    }
    try {
      ConsulNames.key(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }
}
