package dev.meridian.agent.features;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The embedded feature store: the same layout as the Redis one ({@link FeatureKeys}), held in the
 * replica process's memory, for a demo or a test without Redis. Thread-safe; reads never wait.
 */
public final class MemoryFeatureStore implements FeatureStore {
  private final String name;
  private final Map<String, Map<String, String>> hashes = new ConcurrentHashMap<>();

  /** An empty store called {@code name}. */
  public MemoryFeatureStore(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  /** Replaces the hash at {@code key} by {@code fields}. */
  public void put(String key, Map<String, String> fields) {
    hashes.put(key, Map.copyOf(fields));
  }

  @Override
  public List<Map<String, String>> read(List<String> keys, List<String> fields, Duration timeout) {
    return keys.stream()
        .map(
            key -> {
              Map<String, String> hash = hashes.getOrDefault(key, Map.of());
              return Map.copyOf(
                  fields.stream()
                      .filter(hash::containsKey)
                      .collect(Collectors.toMap(field -> field, hash::get)));
            })
        .toList();
  }

  @Override
  public void close() {
    hashes.clear();
  }
}
