package dev.meridian.agent.features;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One copy of a region's feature store (its primary or its replica), read by entity in the layout
 * {@link FeatureKeys} states. Implementations are thread-safe and never block longer than the
 * timeout they are given.
 */
public interface FeatureStore extends AutoCloseable {
  /** What the lookup chain calls this copy in responses and metrics, such as {@code primary}. */
  String name();

  /**
   * Reads {@code fields} of the hash at each of {@code keys}, all in one round trip where the store
   * allows it.
   *
   * @param keys entity keys, as {@link FeatureKeys#key} writes them
   * @param fields the hash fields to read (feature names and {@link FeatureKeys#EVENT_TIME})
   * @param timeout how long the whole read may take
   * @return per key, in the order given, the fields the hash holds (field to its text); an empty
   *     map when no hash exists at the key
   * @throws FeatureStoreException when the store is unreachable, refuses, or does not answer in
   *     time, saying which
   */
  List<Map<String, String>> read(List<String> keys, List<String> fields, Duration timeout)
      throws FeatureStoreException;

  /** Releases the connection; reads fail afterwards. */
  @Override
  void close();
}
