package dev.meridian.registry;

import dev.meridian.core.Ticker;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a Consul session lock. A daemon thread campaigns for the lock with a session
 * of its own (explicit TTL and lock-delay), renews the session while it leads, and steps down as
 * soon as it can no longer prove it leads: when the session has ended, when the key no longer names
 * its session, or when renewals have failed for half the TTL. {@link #isLeader()} checks the lease
 * against the clock on every call, so it turns false on time even if the thread is late. The lock's
 * LockIndex at acquisition is its {@link #epoch()}; it restarts at 1 when the key is recreated, so
 * fencing takes epochs from a counter that only grows and uses this one only as a floor.
 */
public final class LeaderLock implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(LeaderLock.class);

  private final ConsulRegistry registry;
  private final LeaderLockConfig config;
  private final LeadershipListener listener;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final LeaderLease lease;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long epoch;
  // Written only by the campaign thread; read by close() after the thread has stopped.
  private volatile String sessionId;
  private volatile boolean leading;

  private LeaderLock(
      ConsulRegistry registry,
      LeaderLockConfig config,
      LeadershipListener listener,
      Ticker ticker,
      Sleeper sleeper) {
    this.registry = registry;
    this.config = config;
    this.listener = listener;
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.lease = new LeaderLease(config.sessionTtl(), ticker);
    this.thread = new Thread(this::campaign, "leader-lock-" + config.candidateId());
    this.thread.setDaemon(true);
  }

  /** Starts campaigning on the system clock. */
  public static LeaderLock start(
      ConsulRegistry registry, LeaderLockConfig config, LeadershipListener listener) {
    return start(registry, config, listener, Ticker.SYSTEM, Sleeper.SYSTEM);
  }

  static LeaderLock start(
      ConsulRegistry registry,
      LeaderLockConfig config,
      LeadershipListener listener,
      Ticker ticker,
      Sleeper sleeper) {
    LeaderLock lock = new LeaderLock(registry, config, listener, ticker, sleeper);
    lock.thread.start();
    return lock;
  }

  /** Whether this candidate leads and can still prove it. */
  public boolean isLeader() {
    return leading && lease.isValid();
  }

  /** The epoch of the current (or last) leadership: the lock's LockIndex when it was taken. */
  public long epoch() {
    return epoch;
  }

  /** The session this candidate campaigns with, if it has one. */
  public Optional<String> sessionId() {
    return Optional.ofNullable(sessionId);
  }

  private void campaign() {
    while (running) {
      try {
        if (leading) {
          holdLeadership();
        } else {
          tryToLead();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void tryToLead() throws InterruptedException {
    try {
      if (sessionId == null) {
        long sent = ticker.nanoTime();
        sessionId =
            registry
                .sessions()
                .create(
                    "meridian-leader:" + config.candidateId(),
                    config.sessionTtl(),
                    config.lockDelay(),
                    config.datacenter());
        lease.renewed(sent);
      }
      if (registry
          .kv()
          .acquire(config.key(), config.candidateId(), sessionId, config.datacenter())) {
        Optional<KvEntry> entry = registry.kv().get(config.key(), config.datacenter(), 0).value();
        if (entry.isPresent() && entry.get().session().equals(Optional.of(sessionId))) {
          epoch = entry.get().lockIndex();
          leading = true;
          listener.elected(epoch);
          return;
        }
      }
    } catch (RegistryNotFoundException e) {
      sessionId = null;
    } catch (RegistryException e) {
      // An unknown session is reported as a server error: start over with a new one.
      if (String.valueOf(e.getMessage()).contains("invalid session")) {
        sessionId = null;
      }
      logger
          .atDebug()
          .addKeyValue("key", config.key())
          .setCause(e)
          .log("leader lock campaign failed");
    }
    if (sessionId != null && !lease.isValid()) {
      // The idle session may have expired; a fresh one avoids acquiring with a dead session.
      destroyQuietly(sessionId);
      sessionId = null;
    }
    sleeper.sleep(config.retryInterval());
  }

  private void holdLeadership() throws InterruptedException {
    sleeper.sleep(config.renewInterval());
    long sent = ticker.nanoTime();
    try {
      registry.sessions().renew(sessionId, config.datacenter());
      lease.renewed(sent);
      if (!holdsKey()) {
        // The key was deleted or overwritten (KV lost, restored, edited by hand) while the
        // session lives on: another candidate may take it, so stop acting and campaign again.
        // The session is renewed and still valid: campaign again with it.
        leading = false;
        announceStepDown("the lock key " + config.key() + " no longer names this session");
        return;
      }
    } catch (RegistryNotFoundException e) {
      stepDown("session " + sessionId + " ended");
      sessionId = null;
      return;
    } catch (RegistryException e) {
      logger
          .atWarn()
          .addKeyValue("key", config.key())
          .setCause(e)
          .log("leader lock renewal failed");
    }
    if (!lease.isValid()) {
      stepDown("could not renew session for half its TTL (" + config.sessionTtl() + ")");
    }
  }

  private boolean holdsKey() {
    return registry
        .kv()
        .get(config.key(), config.datacenter(), 0)
        .value()
        .flatMap(KvEntry::session)
        .equals(Optional.ofNullable(sessionId));
  }

  private void stepDown(String reason) {
    leading = false;
    lease.drop();
    announceStepDown(reason);
  }

  private void announceStepDown(String reason) {
    logger
        .atInfo()
        .addKeyValue("key", config.key())
        .addKeyValue("candidate", config.candidateId())
        .addKeyValue("reason", reason)
        .log("leader lock: stepping down");
    listener.deposed(reason);
  }

  private void destroyQuietly(String session) {
    try {
      registry.sessions().destroy(session, config.datacenter());
    } catch (RegistryException e) {
      logger
          .atDebug()
          .addKeyValue("session", session)
          .setCause(e)
          .log("leader lock: could not destroy a session");
    }
  }

  /**
   * Stops campaigning; a leader releases the lock (so the lock-delay does not apply) and ends its
   * session.
   */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String session = sessionId;
    if (session == null) {
      return;
    }
    if (leading) {
      leading = false;
      lease.drop();
      try {
        registry.kv().release(config.key(), config.candidateId(), session, config.datacenter());
      } catch (RegistryException e) {
        logger
            .atWarn()
            .addKeyValue("key", config.key())
            .setCause(e)
            .log("leader lock: could not release");
      }
      listener.deposed("closed");
    }
    destroyQuietly(session);
  }
}
