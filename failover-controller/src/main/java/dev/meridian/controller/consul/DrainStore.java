package dev.meridian.controller.consul;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.MeridianLayout;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drain records in KV at {@link MeridianLayout#drainKey} in the control datacenter, as JSON an
 * operator can read with {@code consul kv get}. Thread-safe (it keeps no state). Failures surface
 * as the registry's exceptions.
 */
public final class DrainStore {
  private static final Logger logger = Logger.getLogger(DrainStore.class.getName());

  private final ConsulRegistry registry;
  private final String datacenter;

  /** A store in the control datacenter {@code datacenter}. */
  public DrainStore(ConsulRegistry registry, String datacenter) {
    this.registry = registry;
    this.datacenter = datacenter;
  }

  /** Every drain recorded, by region. */
  public Map<String, DrainRecord> load() {
    Map<String, DrainRecord> drains = new LinkedHashMap<>();
    for (KvEntry entry : registry.kv().list(MeridianLayout.DRAIN_PREFIX, datacenter, 0).value()) {
      try {
        DrainRecord record = decode(entry.value());
        drains.put(record.region(), record);
      } catch (JsonParseException
          | IllegalStateException
          | NullPointerException
          | DateTimeParseException e) {
        logger.log(Level.WARNING, "ignoring malformed drain record " + entry.key(), e);
      }
    }
    return drains;
  }

  /**
   * Records a drain, only if the region has no drain record yet.
   *
   * @return false when a record already exists
   */
  public boolean create(DrainRecord record) {
    return registry
        .kv()
        .compareAndSet(MeridianLayout.drainKey(record.region()), encode(record), 0, datacenter);
  }

  /** Removes a region's drain record; removing a missing one succeeds. */
  public void remove(String region) {
    registry.kv().delete(MeridianLayout.drainKey(region), datacenter);
  }

  static String encode(DrainRecord record) {
    JsonObject json = new JsonObject();
    json.addProperty("region", record.region());
    json.addProperty("who", record.who());
    json.addProperty("reason", record.reason());
    json.addProperty("startedAt", record.startedAt().toString());
    return json.toString();
  }

  static DrainRecord decode(String text) {
    JsonObject json = JsonParser.parseString(text).getAsJsonObject();
    return new DrainRecord(
        json.get("region").getAsString(),
        json.get("who").getAsString(),
        json.get("reason").getAsString(),
        Instant.parse(json.get("startedAt").getAsString()));
  }
}
