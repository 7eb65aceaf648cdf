package dev.meridian.agent.features;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens the stores a {@link FeatureStoreConfig} names, in the order the lookup chain reads them.
 */
public final class FeatureStores {
  /** How long connecting to a Redis may take before the attempt is given up and retried. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  private FeatureStores() {}

  /**
   * The primary, then the replica if configured; for the embedded store, one in-process store
   * seeded from its file with event times from {@code clock}. A Redis that is down is not an error:
   * its reads fail until it is reachable.
   */
  public static List<FeatureStore> open(FeatureStoreConfig config, Clock clock) {
    Optional<String> seed = config.embedded();
    if (seed.isPresent()) {
      MemoryFeatureStore store = new MemoryFeatureStore(FeatureSource.PRIMARY.label());
      FeatureSeed.load(Path.of(seed.get()), clock, store);
      return List.of(store);
    }
    Optional<String> password = config.password();
    List<FeatureStore> stores = new ArrayList<>();
    stores.add(redis(FeatureSource.PRIMARY, config.primary(), password));
    if (!config.replica().isEmpty()) {
      stores.add(redis(FeatureSource.REPLICA, config.replica(), password));
    }
    return List.copyOf(stores);
  }

  private static FeatureStore redis(
      FeatureSource source, String address, Optional<String> password) {
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return RedisFeatureStore.connect(
        source.label(),
        host,
        Integer.parseInt(address.substring(colon + 1)),
        password,
        CONNECT_TIMEOUT);
  }
}
