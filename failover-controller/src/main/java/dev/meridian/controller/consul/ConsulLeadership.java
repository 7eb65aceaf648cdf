package dev.meridian.controller.consul;

import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.LeaderLock;
import dev.meridian.registry.LeaderLockConfig;
import dev.meridian.registry.LeadershipListener;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.RegistryException;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link Leadership} through the registry's {@link LeaderLock} on {@link MeridianLayout#LEADER_KEY}
 * in the control datacenter. The candidate id written as the lock's value is the controller's admin
 * address, so a standby can tell operators whom to call. Thread-safe: the lock is set once, by
 * {@link #campaign}, and read through a volatile field.
 */
public final class ConsulLeadership implements Leadership, AutoCloseable {
  private final ConsulRegistry registry;
  private final String datacenter;
  private final Duration sessionTtl;
  private final Duration lockDelay;
  private final Duration retryInterval;
  private volatile LeaderLock lock;

  /** Prepares to campaign in {@code datacenter}; nothing happens until {@link #campaign}. */
  public ConsulLeadership(
      ConsulRegistry registry,
      String datacenter,
      Duration sessionTtl,
      Duration lockDelay,
      Duration retryInterval) {
    this.registry = registry;
    this.datacenter = datacenter;
    this.sessionTtl = sessionTtl;
    this.lockDelay = lockDelay;
    this.retryInterval = retryInterval;
  }

  /** Starts campaigning as {@code candidateId}; {@code listener} hears the transitions. */
  public void campaign(String candidateId, LeadershipListener listener) {
    if (lock != null) {
      throw new IllegalStateException("already campaigning");
    }
    LeaderLockConfig config =
        new LeaderLockConfig(
            MeridianLayout.LEADER_KEY,
            datacenter,
            candidateId,
            sessionTtl,
            lockDelay,
            sessionTtl.dividedBy(3),
            retryInterval);
    lock = LeaderLock.start(registry, config, listener);
  }

  @Override
  public boolean isLeader() {
    LeaderLock current = lock;
    return current != null && current.isLeader();
  }

  @Override
  public boolean confirm() {
    LeaderLock current = lock;
    if (current == null || !current.isLeader() || current.sessionId().isEmpty()) {
      return false;
    }
    try {
      return registry
          .kv()
          .get(MeridianLayout.LEADER_KEY, datacenter, 0)
          .value()
          .flatMap(KvEntry::session)
          .equals(current.sessionId());
    } catch (RegistryException e) {
      return false;
    }
  }

  @Override
  public Optional<String> leader() {
    try {
      return registry
          .kv()
          .get(MeridianLayout.LEADER_KEY, datacenter, 0)
          .value()
          .filter(entry -> entry.session().isPresent())
          .map(KvEntry::value);
    } catch (RegistryException e) {
      return Optional.empty();
    }
  }

  /** Stops campaigning; a leader releases the lock so a standby can take over at once. */
  @Override
  public void close() {
    LeaderLock current = lock;
    if (current != null) {
      current.close();
    }
  }
}
