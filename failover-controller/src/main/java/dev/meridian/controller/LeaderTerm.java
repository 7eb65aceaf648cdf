package dev.meridian.controller;

import dev.meridian.controller.consul.DrainSet;
import dev.meridian.controller.consul.DrainStore;
import dev.meridian.controller.consul.EpochCounter;
import dev.meridian.controller.consul.FencedTableStore;
import dev.meridian.controller.consul.Leadership;
import dev.meridian.registry.RegistryException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This controller's term as leader: whether the lock elected it, and the epoch it acts under once
 * it has taken over. Leadership is decided here only: the rest of the controller asks {@link
 * #acting()}. A takeover confirms the lock with Consul, reads the previous leader's tables and
 * drains, and takes an epoch above every epoch it found (from the {@link EpochCounter}), so that a
 * fence-out by stale tables is always recovered from by taking over again. Not thread-safe:
 * confined to the controller's loop.
 */
final class LeaderTerm {
  private static final Logger logger = LoggerFactory.getLogger(LeaderTerm.class);

  /**
   * What a takeover found.
   *
   * @param epoch the epoch this term acts under
   * @param tables the previous leader's tables
   * @param drains the drains in force
   */
  record Start(long epoch, FencedTableStore.Found tables, DrainSet drains) {}

  private final Leadership leadership;
  private final List<String> datacenters;
  private final FencedTableStore tables;
  private final DrainStore drains;
  private final EpochCounter epochs;
  private long lockIndex;
  private long epoch;

  LeaderTerm(
      Leadership leadership,
      List<String> datacenters,
      FencedTableStore tables,
      DrainStore drains,
      EpochCounter epochs) {
    this.leadership = leadership;
    this.datacenters = List.copyOf(datacenters);
    this.tables = tables;
    this.drains = drains;
    this.epochs = epochs;
  }

  /** The lock elected this controller, at {@code lockIndex}. */
  void elected(long lockIndex) {
    this.lockIndex = lockIndex;
    this.epoch = 0;
  }

  /** The lock is lost: no takeover until elected again. */
  void deposed() {
    lockIndex = 0;
    epoch = 0;
  }

  /** A write met a newer epoch: stop acting; take over again while the lock is still held. */
  void fencedOut() {
    epoch = 0;
  }

  /** Whether this controller acts as leader: elected, taken over, not fenced out since. */
  boolean acting() {
    return epoch != 0;
  }

  /** The epoch it acts under; 0 when not {@link #acting()}. */
  long epoch() {
    return epoch;
  }

  /**
   * Takes over if elected and not yet acting.
   *
   * @return what it found, or empty when it must not act yet (not elected, Consul failing, the lock
   *     not confirmed); the caller tries again on its next tick
   */
  Optional<Start> takeOver() {
    if (lockIndex == 0 || epoch != 0 || !leadership.confirm()) {
      return Optional.empty();
    }
    try {
      FencedTableStore.Found found = tables.readNewest(datacenters);
      DrainSet drainSet = drains.load(datacenters);
      OptionalLong next =
          epochs.next(Math.max(lockIndex, Math.max(found.highestEpoch(), drainSet.leaderEpoch())));
      if (next.isEmpty() || !leadership.confirm()) {
        return Optional.empty();
      }
      epoch = next.getAsLong();
      return Optional.of(new Start(epoch, found, drainSet));
    } catch (RegistryException e) {
      logger.warn("elected, but cannot read state yet; retrying on the next tick", e);
      return Optional.empty();
    }
  }
}
