package dev.meridian.controller.consul;

import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.RegistryException;
import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Hands out leader epochs that only grow, from a counter at {@link MeridianLayout#EPOCH_KEY} in the
 * control datacenter, raised by check-and-set. The lock's LockIndex alone cannot be the epoch: it
 * restarts at 1 when the lock key is deleted or the datacenter is rebuilt, and tables written under
 * an older, higher epoch would then fence out every new leader. So a new epoch is above the
 * counter, above whatever the caller has seen in KV, and at least the wall-clock time in seconds:
 * when every datacenter's KV is lost at once (the counter and every table with it), a new leader's
 * epoch is still above those the gateways hold, which refuse tables from an older epoch.
 * Thread-safe (it keeps no state).
 */
public final class EpochCounter {
  private static final int CAS_ATTEMPTS = 5;

  private final ConsulRegistry registry;
  private final String datacenter;
  private final InstantSource clock;
  private final Consumer<String> rejected;

  /**
   * A counter in {@code datacenter}.
   *
   * @param rejected hears about a counter that is not a number, which is then replaced
   */
  public EpochCounter(
      ConsulRegistry registry, String datacenter, InstantSource clock, Consumer<String> rejected) {
    this.registry = registry;
    this.datacenter = datacenter;
    this.clock = clock;
    this.rejected = rejected;
  }

  /**
   * Takes the next epoch: one above the counter, {@code atLeast} and the time in seconds.
   *
   * @return empty when every check-and-set lost a race (another candidate is raising it too)
   * @throws RegistryException when Consul cannot be read or written
   */
  public OptionalLong next(long atLeast) {
    for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      Optional<KvEntry> entry = registry.kv().get(MeridianLayout.EPOCH_KEY, datacenter, 0).value();
      long floor = Math.max(atLeast, clock.instant().getEpochSecond());
      long next = Math.max(entry.map(this::value).orElse(0L), floor) + 1;
      long modifyIndex = entry.map(KvEntry::modifyIndex).orElse(0L);
      if (registry
          .kv()
          .compareAndSet(MeridianLayout.EPOCH_KEY, Long.toString(next), modifyIndex, datacenter)) {
        return OptionalLong.of(next);
      }
    }
    return OptionalLong.empty();
  }

  private long value(KvEntry entry) {
    try {
      long value = Long.parseLong(entry.value().trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    rejected.accept(
        MeridianLayout.EPOCH_KEY + " in " + datacenter + ": '" + entry.value() + "' is no epoch");
    return 0;
  }
}
