package dev.meridian.devconsul;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Fault injection for one datacenter of a {@link DevConsul}: hang, lose the cluster leader, lose
 * all state, or answer slowly. Each fault is undone by turning it off; the same controls are
 * reachable over HTTP under {@code /_dev/fault/}. Thread-safe: all state is guarded by {@code
 * this}.
 */
public final class FaultControls {
  private final Runnable wipeState;
  private final InstantSource clock;

  // @GuardedBy("this")
  private boolean unresponsive;
  // @GuardedBy("this")
  private Instant leaderLostAt;
  // @GuardedBy("this")
  private Duration latency = Duration.ZERO;
  // @GuardedBy("this")
  private boolean closed;

  FaultControls(Runnable wipeState, InstantSource clock) {
    this.wipeState = wipeState;
    this.clock = clock;
  }

  /**
   * While on, requests are accepted by the socket but never answered (as a hung Consul agent);
   * turning it off answers the requests that were held.
   */
  public synchronized void setUnresponsive(boolean on) {
    unresponsive = on;
    notifyAll();
  }

  public synchronized boolean isUnresponsive() {
    return unresponsive;
  }

  /**
   * While on, ordinary reads and all writes fail with 500 {@code No cluster leader}; {@code ?stale}
   * reads still answer, with {@code X-Consul-Knownleader: false}.
   */
  public synchronized void setNoLeader(boolean on) {
    if (on && leaderLostAt == null) {
      leaderLostAt = clock.instant();
    } else if (!on) {
      leaderLostAt = null;
    }
  }

  public synchronized boolean hasLeader() {
    return leaderLostAt == null;
  }

  /** Delays every response by {@code delay}; {@link Duration#ZERO} turns it off. */
  public synchronized void setLatency(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("latency: " + delay + " (expected: >= 0)");
    }
    latency = delay;
    notifyAll();
  }

  public synchronized Duration latency() {
    return latency;
  }

  /**
   * Wipes services, checks, KV and sessions so that indexes go backwards, as when a Consul cluster
   * is rebuilt from nothing. Clients blocked on a higher index keep waiting until their wait runs
   * out, as with a real Consul.
   */
  public void loseState() {
    wipeState.run();
  }

  /** Turns every fault off (lost state stays lost). */
  public synchronized void clear() {
    setUnresponsive(false);
    setNoLeader(false);
    setLatency(Duration.ZERO);
  }

  /** Holds the calling request thread while unresponsive, then for the configured latency. */
  synchronized void awaitService() throws InterruptedException {
    while (unresponsive && !closed) {
      wait();
    }
    long start = System.nanoTime();
    long remaining;
    while (!closed && (remaining = latency.toNanos() - (System.nanoTime() - start)) > 0) {
      wait(Math.max(1, remaining / 1_000_000));
    }
  }

  /** Milliseconds since the leader was last seen: 0 while there is one. */
  synchronized long lastContactMillis() {
    return leaderLostAt == null ? 0 : Duration.between(leaderLostAt, clock.instant()).toMillis();
  }

  /** Releases every held request so that the server can stop. */
  synchronized void close() {
    closed = true;
    notifyAll();
  }
}
