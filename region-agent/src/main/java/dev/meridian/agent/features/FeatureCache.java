package dev.meridian.agent.features;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The replica process's bounded cache of the feature values it read recently, with their event
 * times, so a value's age keeps counting while it is cached. Holds at most a configured number of
 * entities (least recently used leave first); a newer event time replaces an older one per feature.
 * Thread-safe.
 */
public final class FeatureCache {
  /** A cached value and when it was computed, in epoch milliseconds. */
  record Value(double value, long eventMillis) {}

  private final Cache<String, Map<String, Value>> entities;

  /** A cache of at most {@code maxEntities} entities. */
  public FeatureCache(int maxEntities) {
    this.entities = Caffeine.newBuilder().maximumSize(maxEntities).build();
  }

  /** Remembers {@code values} (feature to value) of the entity at {@code key}. */
  void remember(String key, Map<String, Value> values) {
    entities.asMap().merge(key, Map.copyOf(values), FeatureCache::newer);
  }

  /** The cached value of {@code feature} of the entity at {@code key}. */
  Optional<Value> value(String key, String feature) {
    Map<String, Value> values = entities.getIfPresent(key);
    return values == null ? Optional.empty() : Optional.ofNullable(values.get(feature));
  }

  private static Map<String, Value> newer(Map<String, Value> cached, Map<String, Value> read) {
    Map<String, Value> merged = new HashMap<>(cached);
    read.forEach(
        (feature, value) ->
            merged.merge(
                feature,
                value,
                (old, fresh) -> fresh.eventMillis() >= old.eventMillis() ? fresh : old));
    return Map.copyOf(merged);
  }
}
