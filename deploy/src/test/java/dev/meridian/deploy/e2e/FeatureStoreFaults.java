package dev.meridian.deploy.e2e;

import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.deploy.topology.RedisStores;

/**
 * Faults of the regions' Redis feature stores, done to the real processes: SIGKILL, SIGSTOP and
 * SIGCONT, and a restart on the same port and data directory (append-only file kept), as an
 * operator or a crash would.
 */
final class FeatureStoreFaults {
  private final LocalTopology topology;

  FeatureStoreFaults(LocalTopology topology) {
    this.topology = topology;
  }

  /** Kills {@code region}'s {@code tier} store ({@link RedisStores#PRIMARY} or replica). */
  void kill(String region, String tier) {
    topology.process(RedisStores.role(region, tier)).kill();
  }

  /** Freezes {@code region}'s {@code tier} store: connected, answering nothing. */
  void freeze(String region, String tier) {
    topology.process(RedisStores.role(region, tier)).pause();
  }

  /** Lets a frozen store run on. */
  void thaw(String region, String tier) {
    topology.process(RedisStores.role(region, tier)).resume();
  }

  /** Starts {@code region}'s {@code tier} store again, with the data it had written to disk. */
  void restart(String region, String tier) throws InterruptedException {
    topology.restart(RedisStores.role(region, tier));
  }
}
