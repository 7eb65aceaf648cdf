package dev.meridian.agent.features;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entities to load into a feature store, read from a JSON file: {@code {"entity": "card_id",
 * "entities": [{"id": "c-1001", "features": {"amount": 0.5, ...}, "age": "PT2H"}, ...]}}, where the
 * optional {@code age} (ISO-8601) dates the values that long before the moment they are loaded. The
 * embedded store is seeded from it, and the local topology seeds Redis from the same file.
 */
public final class FeatureSeed {
  /** One entity's hash: its key and fields, {@link FeatureKeys#EVENT_TIME} included. */
  public record Hash(String key, Map<String, String> fields) {}

  private record Entity(String id, Map<String, Double> features, String age) {}

  private record File(String entity, List<Entity> entities) {}

  private static final Gson GSON = new Gson();

  private FeatureSeed() {}

  /**
   * The hashes of {@code file}, their event times taken from {@code clock}.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static List<Hash> read(Path file, Clock clock) {
    File seed;
    try {
      seed = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), File.class);
    } catch (IOException | JsonParseException e) {
      throw new IllegalArgumentException(file + ": not a feature seed: " + e.getMessage(), e);
    }
    if (seed == null || seed.entity() == null || seed.entities() == null) {
      throw new IllegalArgumentException(file + ": a feature seed needs `entity` and `entities`");
    }
    long now = clock.millis();
    return seed.entities().stream().map(entity -> hash(file, seed.entity(), entity, now)).toList();
  }

  /** Puts every hash of {@code file} into {@code store}. */
  public static void load(Path file, Clock clock, MemoryFeatureStore store) {
    read(file, clock).forEach(hash -> store.put(hash.key(), hash.fields()));
  }

  private static Hash hash(Path file, String kind, Entity entity, long now) {
    if (entity.id() == null || entity.features() == null) {
      throw new IllegalArgumentException(file + ": every entity needs `id` and `features`");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    entity.features().forEach((name, value) -> fields.put(name, String.valueOf(value)));
    fields.put(FeatureKeys.EVENT_TIME, String.valueOf(now - age(file, entity).toMillis()));
    return new Hash(FeatureKeys.key(kind, entity.id()), fields);
  }

  private static Duration age(Path file, Entity entity) {
    if (entity.age() == null) {
      return Duration.ZERO;
    }
    try {
      return Duration.parse(entity.age());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          file + ": entity " + entity.id() + ": age " + entity.age() + " is not like PT2H", e);
    }
  }
}
