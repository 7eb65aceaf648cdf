package dev.meridian.devconsul;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Removes services whose checks stay critical past DeregisterCriticalServiceAfter. Like Consul's
 * agent it only looks every 30 seconds, so removal can lag the deadline by up to that much. Not
 * thread-safe: guarded by the owning {@link Datacenter}'s lock.
 */
final class ServiceReaper {
  static final Duration INTERVAL = Duration.ofSeconds(30);

  private final Catalog catalog;
  private final InstantSource clock;
  private Instant nextRun;

  ServiceReaper(Catalog catalog, InstantSource clock) {
    this.catalog = catalog;
    this.clock = clock;
    this.nextRun = clock.instant().plus(INTERVAL);
  }

  /** Reaps if a reaper interval has passed since the last run. */
  void runIfDue() {
    Instant now = clock.instant();
    if (now.isBefore(nextRun)) {
      return;
    }
    nextRun = now.plus(INTERVAL);
    catalog.servicesToReap().forEach(catalog::deregister);
  }
}
