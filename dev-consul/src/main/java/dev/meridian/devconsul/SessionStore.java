package dev.meridian.devconsul;

import dev.meridian.devconsul.IndexTracker.Table;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The sessions of one datacenter, their TTL timers, and what ending one does to the locks it held.
 * Not thread-safe: guarded by the owning {@link Datacenter}'s lock.
 */
final class SessionStore {
  /** Consul's server lets a session live for twice its TTL before invalidating it. */
  private static final int TTL_MULTIPLIER = 2;

  private final Map<String, Session> sessions = new TreeMap<>();
  private final Map<String, Instant> deadlines = new HashMap<>();
  private final IndexTracker index;
  private final InstantSource clock;
  private final KvStore kv;

  SessionStore(IndexTracker index, InstantSource clock, KvStore kv) {
    this.index = index;
    this.clock = clock;
    this.kv = kv;
  }

  /**
   * Validates a draft against the catalog like Consul's state store does and stores it under a new
   * ID.
   *
   * @throws ApiException 500 when the node or a linked check is missing or a check is critical
   */
  Session create(Session draft, Catalog catalog) {
    if (!draft.node().equals(catalog.node().name())) {
      throw ApiException.serverError("Missing node registration");
    }
    for (String checkId : concat(draft.nodeChecks(), draft.serviceChecks())) {
      HealthCheck check = catalog.check(checkId);
      if (check == null) {
        throw ApiException.serverError("Missing check '" + checkId + "' registration");
      }
      if (check.status() == CheckStatus.CRITICAL) {
        throw ApiException.serverError(
            "Check '" + checkId + "' is in " + check.status().wire() + " state");
      }
    }
    Session session = draft.withIdentity(UUID.randomUUID().toString(), index.touch(Table.SESSIONS));
    sessions.put(session.id(), session);
    restartTimer(session);
    return session;
  }

  /** Replaces every session with a snapshot's, restarting their TTL timers. */
  void restore(List<Session> restored) {
    sessions.clear();
    deadlines.clear();
    restored.forEach(
        session -> {
          sessions.put(session.id(), session);
          restartTimer(session);
        });
  }

  Session get(String id) {
    return sessions.get(id);
  }

  Collection<Session> all() {
    return sessions.values();
  }

  long tableIndex() {
    return index.max(Table.SESSIONS);
  }

  /** Restarts a session's TTL timer; null when there is no such session. */
  Session renew(String id) {
    Session session = sessions.get(id);
    if (session != null) {
      restartTimer(session);
    }
    return session;
  }

  /** Ends a session, releasing or deleting its locks; unknown IDs are ignored. */
  void destroy(String id) {
    Session session = sessions.remove(id);
    if (session == null) {
      return;
    }
    deadlines.remove(id);
    index.touch(Table.SESSIONS);
    kv.endSession(id, session.behavior(), session.lockDelay());
  }

  /** Ends every session linked to a check that went critical or was removed. */
  void checkLost(String checkId) {
    List.copyOf(sessions.values()).stream()
        .filter(s -> s.linkedTo(checkId))
        .forEach(s -> destroy(s.id()));
  }

  /** Ends every session whose TTL timer has run out. */
  void expire() {
    Instant now = clock.instant();
    List.copyOf(deadlines.entrySet()).stream()
        .filter(e -> !now.isBefore(e.getValue()))
        .forEach(e -> destroy(e.getKey()));
  }

  private void restartTimer(Session session) {
    if (!session.ttlDuration().isZero()) {
      deadlines.put(
          session.id(), clock.instant().plus(session.ttlDuration().multipliedBy(TTL_MULTIPLIER)));
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
