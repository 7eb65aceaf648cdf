package dev.meridian.deploy.backup;

import dev.meridian.controller.consul.DrainRecord;
import dev.meridian.controller.consul.DrainSet;
import dev.meridian.controller.consul.DrainStore;
import dev.meridian.controller.consul.EpochCounter;
import dev.meridian.controller.consul.FencedOutException;
import dev.meridian.controller.consul.Leadership;
import dev.meridian.controller.consul.WriteOutcome;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.RegistryException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Puts a backup back. The restore takes a leader epoch of its own from the control datacenter's
 * counter (above the counter, every epoch in the backup and in Consul, and the time), and writes
 * the drains under it to every datacenter, fenced like a leader's write: the backup's drains and
 * any made since the wipe, the latter winning for the same region. A running leader sees drains
 * under a newer epoch than its own, takes over again and carries them on; a leader started later
 * takes an epoch above the restore's. Routing tables are written by check-and-set where Consul has
 * none, or an older one than the backup's: a newer copy (a live leader's, computed from today's
 * health) is kept.
 */
public final class ControlPlaneRestorer {
  private static final int CAS_ATTEMPTS = 3;

  /** The restore writes once, as if it led: only over documents of an older epoch than its own. */
  private static final Leadership ONE_WRITE =
      new Leadership() {
        @Override
        public boolean isLeader() {
          return true;
        }

        @Override
        public boolean confirm() {
          return true;
        }

        @Override
        public Optional<String> leader() {
          return Optional.empty();
        }
      };

  private final ConsulRegistry registry;
  private final InstantSource clock;

  /** A restorer writing through {@code registry}, taking epochs no lower than {@code clock}'s. */
  public ControlPlaneRestorer(ConsulRegistry registry, InstantSource clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * The control-plane keys {@code datacenters} hold already, by datacenter; a datacenter that holds
   * none is left out, so an empty map means an empty target.
   *
   * @throws RegistryException naming the datacenter that could not be read
   */
  public Map<String, List<String>> existing(List<String> datacenters, String controlDatacenter) {
    Map<String, List<String>> existing = new LinkedHashMap<>();
    for (String datacenter : targets(datacenters, controlDatacenter)) {
      List<String> keys = new ArrayList<>();
      registry.kv().list(MeridianLayout.ROUTING_PREFIX, datacenter, 0).value().stream()
          .map(KvEntry::key)
          .filter(ControlPlaneBackup::isRecordKey)
          .forEach(keys::add);
      for (String key : List.of(MeridianLayout.DRAINS_KEY, MeridianLayout.EPOCH_KEY)) {
        registry.kv().get(key, datacenter, 0).value().ifPresent(entry -> keys.add(entry.key()));
      }
      if (!keys.isEmpty()) {
        existing.put(datacenter, keys);
      }
    }
    return existing;
  }

  /**
   * Restores {@code backup} to {@code datacenters} and {@code controlDatacenter}; a datacenter that
   * fails is reported and the others are still written.
   *
   * @return what happened to each key, in the order written
   */
  public List<RestoreOutcome> restore(
      ControlPlaneBackup backup, List<String> datacenters, String controlDatacenter) {
    List<RestoreOutcome> outcomes = new ArrayList<>();
    List<String> targets = List.copyOf(targets(datacenters, controlDatacenter));
    outcomes.addAll(restoreDrains(backup, targets, controlDatacenter));
    for (String datacenter : targets) {
      backup.records().entrySet().stream()
          .filter(record -> !record.getKey().equals(MeridianLayout.DRAINS_KEY))
          .forEach(
              record ->
                  outcomes.add(
                      guarded(
                          datacenter,
                          record.getKey(),
                          () ->
                              writeRecord(
                                  datacenter,
                                  record.getKey(),
                                  record.getValue(),
                                  backup.stamp(record.getKey())))));
    }
    return outcomes;
  }

  /** Takes the restore's epoch and writes the drains under it, control datacenter first. */
  private List<RestoreOutcome> restoreDrains(
      ControlPlaneBackup backup, List<String> targets, String controlDatacenter) {
    List<String> skipped = new ArrayList<>();
    DrainStore store = new DrainStore(registry, ONE_WRITE, controlDatacenter, skipped::add);
    try {
      DrainSet present = store.load(targets);
      DrainSet restored =
          Optional.ofNullable(backup.records().get(MeridianLayout.DRAINS_KEY))
              .map(json -> DrainStore.parse(json, "the backup's drains", skipped::add))
              .orElse(DrainSet.NONE);
      Map<String, DrainRecord> drains = new TreeMap<>(restored.drains());
      drains.putAll(present.drains());
      OptionalLong epoch =
          new EpochCounter(registry, controlDatacenter, clock, skipped::add)
              .next(Math.max(backup.highestEpoch(), present.leaderEpoch()));
      if (epoch.isEmpty()) {
        return List.of(changedUnderWrite(controlDatacenter, MeridianLayout.EPOCH_KEY));
      }
      WriteOutcome written =
          store.write(
              new DrainSet(
                  Math.max(restored.version(), present.version()) + 1, epoch.getAsLong(), drains),
              targets);
      List<RestoreOutcome> outcomes = new ArrayList<>();
      outcomes.add(
          new RestoreOutcome(
              controlDatacenter,
              MeridianLayout.EPOCH_KEY,
              RestoreOutcome.Result.WRITTEN,
              "epoch " + epoch.getAsLong() + ", taken by the restore"));
      for (String datacenter : targets) {
        outcomes.add(
            written.failed().contains(datacenter)
                ? new RestoreOutcome(
                    datacenter,
                    MeridianLayout.DRAINS_KEY,
                    RestoreOutcome.Result.FAILED,
                    "Consul refused or changed it under each check-and-set; run the restore again")
                : new RestoreOutcome(
                    datacenter,
                    MeridianLayout.DRAINS_KEY,
                    RestoreOutcome.Result.WRITTEN,
                    drainsText(drains, restored, present, epoch.getAsLong(), skipped)));
      }
      return outcomes;
    } catch (FencedOutException e) {
      // Only a writer that took an epoch after this restore did can be newer: it saw these drains.
      return List.of(
          new RestoreOutcome(
              controlDatacenter,
              MeridianLayout.DRAINS_KEY,
              RestoreOutcome.Result.KEPT,
              "a leader took a newer epoch meanwhile: " + e.getMessage()));
    } catch (RegistryException | IllegalArgumentException e) {
      return List.of(
          new RestoreOutcome(
              controlDatacenter,
              MeridianLayout.DRAINS_KEY,
              RestoreOutcome.Result.FAILED,
              e.getMessage()));
    }
  }

  private static String drainsText(
      Map<String, DrainRecord> drains,
      DrainSet restored,
      DrainSet present,
      long epoch,
      List<String> skipped) {
    return "drains "
        + drains.keySet()
        + " under epoch "
        + epoch
        + " ("
        + restored.drains().size()
        + " from the backup, "
        + present.drains().size()
        + " already in Consul"
        + (skipped.isEmpty() ? "" : "; skipped: " + String.join("; ", skipped))
        + ")";
  }

  private static Set<String> targets(List<String> datacenters, String controlDatacenter) {
    Set<String> targets = new LinkedHashSet<>(datacenters);
    targets.add(controlDatacenter);
    return targets;
  }

  /** One key's write, its Consul failure reported as {@link RestoreOutcome.Result#FAILED}. */
  private static RestoreOutcome guarded(
      String datacenter, String key, Supplier<RestoreOutcome> write) {
    try {
      return write.get();
    } catch (RegistryException e) {
      return new RestoreOutcome(datacenter, key, RestoreOutcome.Result.FAILED, e.getMessage());
    }
  }

  private RestoreOutcome writeRecord(String datacenter, String key, String json, Stamp stamp) {
    for (int attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      Optional<KvEntry> present = registry.kv().get(key, datacenter, 0).value();
      Optional<Stamp> presentStamp = present.flatMap(entry -> stampOf(entry, datacenter));
      if (present.isPresent() && present.get().value().equals(json)) {
        return new RestoreOutcome(
            datacenter, key, RestoreOutcome.Result.UNCHANGED, "already there, " + stamp);
      }
      if (presentStamp.isPresent() && presentStamp.get().newerInAnyWay(stamp)) {
        return new RestoreOutcome(
            datacenter,
            key,
            RestoreOutcome.Result.KEPT,
            "the copy there is newer: " + presentStamp.get() + "; the backup's: " + stamp);
      }
      long modifyIndex = present.map(KvEntry::modifyIndex).orElse(0L);
      if (registry.kv().compareAndSet(key, json, modifyIndex, datacenter)) {
        return new RestoreOutcome(datacenter, key, RestoreOutcome.Result.WRITTEN, stamp.toString());
      }
    }
    return changedUnderWrite(datacenter, key);
  }

  /** The stamp of a copy in Consul; empty when malformed, which carries no epoch to respect. */
  private static Optional<Stamp> stampOf(KvEntry entry, String datacenter) {
    try {
      return Optional.of(Stamp.of(entry.value(), entry.key() + " in " + datacenter));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static RestoreOutcome changedUnderWrite(String datacenter, String key) {
    return new RestoreOutcome(
        datacenter,
        key,
        RestoreOutcome.Result.FAILED,
        "changed under each of " + CAS_ATTEMPTS + " check-and-set writes; run the restore again");
  }
}
