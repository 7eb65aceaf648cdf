package dev.meridian.devconsul;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Consul's raft index for one datacenter: one index per write that changes something, plus the last
 * index of each table and of each service (what blocking queries compare against). Guarded by the
 * owning {@link Datacenter}'s lock.
 */
final class IndexTracker {

  /** The state-store tables whose last-modified index reads report. */
  enum Table {
    NODES,
    SERVICES,
    CHECKS,
    KVS,
    SESSIONS
  }

  private final Map<Table, Long> tables = new EnumMap<>(Table.class);
  private final Map<String, Long> services = new HashMap<>();
  private long last;
  private long serviceExtinction;
  private boolean allocatedInWrite;

  /** Starts a write: every change it makes shares one new index, allocated on first use. */
  void beginWrite() {
    allocatedInWrite = false;
  }

  /** The index of the current write, allocating it the first time something changes. */
  long writeIndex() {
    if (!allocatedInWrite) {
      last++;
      allocatedInWrite = true;
    }
    return last;
  }

  /** Records that {@code table} changed in the current write and returns the write's index. */
  long touch(Table table) {
    long index = writeIndex();
    tables.put(table, index);
    return index;
  }

  long max(Table... read) {
    long result = 0;
    for (Table table : read) {
      result = Math.max(result, tables.getOrDefault(table, 0L));
    }
    return result;
  }

  /** Records that a service (an instance or one of its checks) changed in the current write. */
  void touchService(String name) {
    services.put(name, writeIndex());
  }

  /** Records that the last instance of a service is gone. */
  void serviceExtinct(String name) {
    services.remove(name);
    serviceExtinction = writeIndex();
  }

  /**
   * The index of a health query for {@code name}: its service index while it exists, else when the
   * last service went extinct, else the catalog's tables — as Consul's maxIndexForService.
   */
  long serviceIndex(String name) {
    Long index = services.get(name);
    if (index != null) {
      return index;
    }
    return serviceExtinction > 0
        ? serviceExtinction
        : max(Table.NODES, Table.SERVICES, Table.CHECKS);
  }

  long last() {
    return last;
  }

  /** Restores the counter from a snapshot so that new writes continue above it. */
  void restore(long lastIndex) {
    last = lastIndex;
    for (Table table : Table.values()) {
      tables.put(table, lastIndex);
    }
  }
}
