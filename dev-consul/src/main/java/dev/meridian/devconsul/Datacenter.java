package dev.meridian.devconsul;

import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One datacenter: its state behind a single lock, the condition blocking queries wait on, and its
 * fault controls. Every read and write of the state goes through {@link #read} or {@link #write},
 * so a datacenter's operations are serialised like Consul's raft log. Thread-safe.
 */
final class Datacenter {
  private final String name;
  private final String nodeName;
  private final String nodeAddress;
  private final InstantSource clock;
  private final FaultControls faults;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // @GuardedBy("lock")
  private DatacenterState state;
  // @GuardedBy("lock")
  private boolean dirty;

  /**
   * @param nodeAddress the address the agent node reports in the catalog: the advertised one
   */
  Datacenter(String name, String nodeName, String nodeAddress, InstantSource clock) {
    this.name = name;
    this.nodeName = nodeName;
    this.nodeAddress = nodeAddress;
    this.clock = clock;
    this.state = new DatacenterState(name, nodeName, nodeAddress, clock);
    this.faults = new FaultControls(this::reset, clock);
  }

  String name() {
    return name;
  }

  /** The name of the agent node that this datacenter's port stands for. */
  String nodeName() {
    return nodeName;
  }

  /** The agent node's address in the catalog. */
  String nodeAddress() {
    return nodeAddress;
  }

  FaultControls faults() {
    return faults;
  }

  <T> T read(Function<DatacenterState, T> query) {
    lock.lock();
    try {
      return query.apply(state);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code query} until {@code ready} accepts its result or {@code timeoutNanos} pass,
   * re-running it after every write; returns the last result either way.
   */
  <T> T readWhen(Function<DatacenterState, T> query, Predicate<T> ready, long timeoutNanos)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    lock.lockInterruptibly();
    try {
      T result = query.apply(state);
      long remaining;
      while (!ready.test(result) && (remaining = deadline - System.nanoTime()) > 0) {
        changed.await(remaining, TimeUnit.NANOSECONDS);
        result = query.apply(state);
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  /** Applies a change as one write: everything it changes shares one new index. */
  <T> T write(Function<DatacenterState, T> change) {
    lock.lock();
    try {
      IndexTracker index = state.index();
      long before = index.last();
      index.beginWrite();
      try {
        return change.apply(state);
      } finally {
        if (index.last() != before) {
          dirty = true;
          changed.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Fires whatever timers are due at the clock's current time. */
  void runTimers() {
    write(
        s -> {
          s.runTimers();
          return null;
        });
  }

  /** Replaces the state with a fresh one, so indexes go backwards. */
  void reset() {
    replace(new DatacenterState(name, nodeName, nodeAddress, clock));
  }

  /** Installs a state (a fresh or restored one) and wakes blocking queries to re-read it. */
  void replace(DatacenterState fresh) {
    lock.lock();
    try {
      state = fresh;
      dirty = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** True once after each change, for the snapshot writer. */
  boolean takeDirty() {
    lock.lock();
    try {
      boolean wasDirty = dirty;
      dirty = false;
      return wasDirty;
    } finally {
      lock.unlock();
    }
  }
}
