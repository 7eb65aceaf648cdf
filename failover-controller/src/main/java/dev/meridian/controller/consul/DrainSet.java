package dev.meridian.controller.consul;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every operator's drain, as the leader keeps them in one document in KV ({@link
 * dev.meridian.registry.MeridianLayout#DRAINS_KEY}), written like a routing table: under the
 * leader's epoch, with a version that grows with every change. Immutable.
 *
 * @param version grows with every change, across leaders
 * @param leaderEpoch the epoch of the leader that wrote it
 * @param drains the drains, by region
 */
public record DrainSet(long version, long leaderEpoch, Map<String, DrainRecord> drains) {
  /** No drains, never written. */
  public static final DrainSet NONE = new DrainSet(0, 0, Map.of());

  /** Copies the map, sorted by region. */
  public DrainSet {
    drains = Collections.unmodifiableMap(new TreeMap<>(drains));
  }

  /** Whether this set was written after {@code other}: a newer epoch, or a newer version in it. */
  boolean newerThan(DrainSet other) {
    return leaderEpoch != other.leaderEpoch
        ? leaderEpoch > other.leaderEpoch
        : version > other.version;
  }
}
