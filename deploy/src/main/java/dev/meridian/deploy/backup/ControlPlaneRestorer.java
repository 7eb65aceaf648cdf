package dev.meridian.deploy.backup;

import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.RegistryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Puts a backup back: the epoch counter to the control datacenter first, then the drains document
 * and the routing tables to every datacenter. Nothing newer is lost: every write is a check-and-set
 * on the copy just read, a copy newer in version or leader epoch than the backup's is kept, and the
 * counter is only ever raised, to the backup's highest epoch, so the next leader takes one above
 * every restored record and a leader elected before the restore is fenced out by them.
 */
public final class ControlPlaneRestorer {
  private static final int CAS_ATTEMPTS = 3;

  private final ConsulRegistry registry;

  /** A restorer writing through {@code registry}. */
  public ControlPlaneRestorer(ConsulRegistry registry) {
    this.registry = registry;
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
    outcomes.add(
        guarded(
            controlDatacenter,
            MeridianLayout.EPOCH_KEY,
            () -> raiseCounter(controlDatacenter, backup.highestEpoch())));
    for (String datacenter : targets(datacenters, controlDatacenter)) {
      backup
          .records()
          .forEach(
              (key, json) ->
                  outcomes.add(
                      guarded(
                          datacenter,
                          key,
                          () -> writeRecord(datacenter, key, json, backup.stamp(key)))));
    }
    return outcomes;
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

  private RestoreOutcome raiseCounter(String datacenter, long epoch) {
    String key = MeridianLayout.EPOCH_KEY;
    for (int attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      Optional<KvEntry> present = registry.kv().get(key, datacenter, 0).value();
      if (present.isPresent()) {
        long held;
        try {
          held = ControlPlaneBackup.epoch(present.get().value(), key + " in " + datacenter);
        } catch (IllegalArgumentException e) {
          return new RestoreOutcome(
              datacenter,
              key,
              RestoreOutcome.Result.FAILED,
              e.getMessage()
                  + "; not overwritten, since it may hold a higher epoch: fix it by hand");
        }
        if (held >= epoch) {
          return new RestoreOutcome(
              datacenter,
              key,
              RestoreOutcome.Result.KEPT,
              "counter already at " + held + ", not lowered to " + epoch);
        }
      }
      long modifyIndex = present.map(KvEntry::modifyIndex).orElse(0L);
      if (registry.kv().compareAndSet(key, Long.toString(epoch), modifyIndex, datacenter)) {
        return new RestoreOutcome(datacenter, key, RestoreOutcome.Result.WRITTEN, "epoch " + epoch);
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
