package dev.meridian.devconsul;

import dev.meridian.devconsul.IndexTracker.Table;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The key/value table of one datacenter with Consul's check-and-set, lock and lock-delay rules. Not
 * thread-safe: guarded by the owning {@link Datacenter}'s lock.
 */
final class KvStore {
  private final NavigableMap<String, KvEntry> entries = new TreeMap<>();

  /** Keys whose lock was lost with a session, and until when nobody may acquire them. */
  private final Map<String, Instant> lockDelays = new HashMap<>();

  private final IndexTracker index;
  private final InstantSource clock;

  KvStore(IndexTracker index, InstantSource clock) {
    this.index = index;
    this.clock = clock;
  }

  KvEntry get(String key) {
    return entries.get(key);
  }

  /** Every entry whose key starts with {@code prefix}, sorted by key. */
  List<KvEntry> list(String prefix) {
    List<KvEntry> result = new ArrayList<>();
    for (KvEntry entry : entries.tailMap(prefix, true).values()) {
      if (!entry.key().startsWith(prefix)) {
        break;
      }
      result.add(entry);
    }
    return result;
  }

  /** Replaces every entry with a snapshot's. */
  void restore(List<KvEntry> restored) {
    entries.clear();
    restored.forEach(entry -> entries.put(entry.key(), entry));
  }

  /** The highest index of the table, deletions included. */
  long tableIndex() {
    return index.max(Table.KVS);
  }

  /**
   * A plain or check-and-set write ({@code cas} null for none, 0 for "only if absent"). The lock
   * holder, if any, is kept.
   */
  boolean put(String key, byte[] value, long flags, Long cas) {
    KvEntry existing = entries.get(key);
    if (cas != null && cas != (existing == null ? 0 : existing.modifyIndex())) {
      return false;
    }
    String session = existing == null ? null : existing.session();
    long lockIndex = existing == null ? 0 : existing.lockIndex();
    write(existing, key, value, flags, session, lockIndex);
    return true;
  }

  /** Takes or refreshes the lock for {@code session}; false when someone else holds it. */
  boolean acquire(String key, byte[] value, long flags, String session) {
    Instant delayedUntil = lockDelays.get(key);
    if (delayedUntil != null) {
      if (clock.instant().isBefore(delayedUntil)) {
        return false;
      }
      lockDelays.remove(key);
    }
    KvEntry existing = entries.get(key);
    long lockIndex;
    if (existing == null) {
      lockIndex = 1;
    } else if (session.equals(existing.session())) {
      lockIndex = existing.lockIndex();
    } else if (existing.session() != null) {
      return false;
    } else {
      lockIndex = existing.lockIndex() + 1;
    }
    write(existing, key, value, flags, session, lockIndex);
    return true;
  }

  /** Gives up the lock if {@code session} holds it, writing the value; false otherwise. */
  boolean release(String key, byte[] value, long flags, String session) {
    KvEntry existing = entries.get(key);
    if (existing == null || !session.equals(existing.session())) {
      return false;
    }
    write(existing, key, value, flags, null, existing.lockIndex());
    return true;
  }

  /** Deletes a key ({@code cas} null for unconditionally); a missing key counts as deleted. */
  boolean delete(String key, Long cas) {
    KvEntry existing = entries.get(key);
    if (existing == null) {
      return true;
    }
    if (cas != null && cas != existing.modifyIndex()) {
      return false;
    }
    entries.remove(key);
    index.touch(Table.KVS);
    return true;
  }

  void deleteTree(String prefix) {
    list(prefix).forEach(entry -> delete(entry.key(), null));
  }

  /** Releases or deletes every key a session held and starts their lock-delay. */
  void endSession(String sessionId, SessionBehavior behavior, Duration lockDelay) {
    Instant now = clock.instant();
    for (KvEntry entry : List.copyOf(entries.values())) {
      if (!sessionId.equals(entry.session())) {
        continue;
      }
      if (behavior == SessionBehavior.DELETE) {
        delete(entry.key(), null);
      } else {
        write(entry, entry.key(), entry.value(), entry.flags(), null, entry.lockIndex());
      }
      if (!lockDelay.isZero()) {
        lockDelays.put(entry.key(), now.plus(lockDelay));
      }
    }
  }

  private void write(
      KvEntry existing, String key, byte[] value, long flags, String session, long lockIndex) {
    if (existing != null && existing.sameContent(value, flags, session, lockIndex)) {
      return;
    }
    long modified = index.touch(Table.KVS);
    long created = existing == null ? modified : existing.createIndex();
    entries.put(key, new KvEntry(key, value, flags, session, lockIndex, created, modified));
  }
}
