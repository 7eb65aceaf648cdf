package dev.meridian.devconsul;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;

/**
 * Everything one datacenter stores — catalog, KV, sessions and their shared index — wired so that a
 * lost check ends its sessions and an ended session frees its locks. Replaced wholesale when the
 * state is lost. Not thread-safe: guarded by the owning {@link Datacenter}'s lock.
 */
final class DatacenterState {
  private final IndexTracker index = new IndexTracker();
  private final KvStore kv;
  private final SessionStore sessions;
  private final Catalog catalog;
  private final ServiceReaper reaper;

  /** A fresh state holding only the agent's node and the {@code consul} service. */
  DatacenterState(String datacenter, String nodeName, String nodeAddress, InstantSource clock) {
    index.beginWrite();
    kv = new KvStore(index, clock);
    sessions = new SessionStore(index, clock, kv);
    catalog = new Catalog(datacenter, nodeName, nodeAddress, index, clock, sessions::checkLost);
    reaper = new ServiceReaper(catalog, clock);
  }

  /** Everything a snapshot keeps of a datacenter; timers and lock-delays are not kept. */
  record Image(
      long index,
      List<ServiceInstance> services,
      List<CheckImage> checks,
      List<KvImage> kv,
      List<Session> sessions) {}

  /** A check's definition and state in a snapshot. */
  record CheckImage(
      CheckDefinition definition,
      CheckStatus status,
      String output,
      long createIndex,
      long modifyIndex,
      Instant criticalSince) {}

  /** A KV entry in a snapshot, its value in base64. */
  record KvImage(
      String key,
      String value,
      long flags,
      String session,
      long lockIndex,
      long createIndex,
      long modifyIndex) {}

  /** Rebuilds a state from a snapshot, restarting every TTL timer from now. */
  static DatacenterState restore(
      String datacenter, String nodeName, String nodeAddress, InstantSource clock, Image image) {
    DatacenterState state = new DatacenterState(datacenter, nodeName, nodeAddress, clock);
    state.catalog.restore(
        image.services(),
        image.checks().stream()
            .map(
                c ->
                    new HealthCheck(
                        c.definition(),
                        c.status(),
                        c.output(),
                        c.createIndex(),
                        c.modifyIndex(),
                        c.criticalSince()))
            .toList());
    state.kv.restore(
        image.kv().stream()
            .map(
                e ->
                    new KvEntry(
                        e.key(),
                        Base64.getDecoder().decode(e.value()),
                        e.flags(),
                        e.session(),
                        e.lockIndex(),
                        e.createIndex(),
                        e.modifyIndex()))
            .toList());
    state.sessions.restore(image.sessions());
    state.index.restore(image.index());
    return state;
  }

  /** Captures the state for a snapshot. */
  Image image() {
    return new Image(
        index.last(),
        List.copyOf(catalog.services()),
        catalog.checks().stream()
            .map(
                c ->
                    new CheckImage(
                        c.definition(),
                        c.status(),
                        c.output(),
                        c.createIndex(),
                        c.modifyIndex(),
                        c.criticalSince()))
            .toList(),
        kv.list("").stream()
            .map(
                e ->
                    new KvImage(
                        e.key(),
                        Base64.getEncoder().encodeToString(e.value()),
                        e.flags(),
                        e.session(),
                        e.lockIndex(),
                        e.createIndex(),
                        e.modifyIndex()))
            .toList(),
        List.copyOf(sessions.all()));
  }

  IndexTracker index() {
    return index;
  }

  Catalog catalog() {
    return catalog;
  }

  KvStore kv() {
    return kv;
  }

  SessionStore sessions() {
    return sessions;
  }

  /** Fires whatever is due at the clock's current time: TTL checks, session TTLs, the reaper. */
  void runTimers() {
    catalog.expireTtlChecks();
    sessions.expire();
    reaper.runIfDue();
  }
}
