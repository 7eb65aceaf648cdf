package dev.meridian.controller.consul;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.meridian.core.LogValue;
import dev.meridian.core.ResourceNames;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JSON of a {@link DrainSet}, which an operator can read with {@code consul kv get}: {@code
 * {"version":3,"leaderEpoch":7,"drains":[{"region":..,"who":..,"reason":..,"startedAt":..}]}}, a
 * forced drain with {@code "forced":true}. Decoding checks every field's type and every region
 * name, and fails with the key and field named. Stateless.
 */
final class DrainSetJson {
  private DrainSetJson() {}

  static String encode(DrainSet set) {
    JsonArray drains = new JsonArray();
    for (DrainRecord record : set.drains().values()) {
      JsonObject drain = new JsonObject();
      drain.addProperty("region", record.region());
      drain.addProperty("who", record.who());
      drain.addProperty("reason", record.reason());
      drain.addProperty("startedAt", record.startedAt().toString());
      if (record.forced()) {
        drain.addProperty("forced", true);
      }
      drains.add(drain);
    }
    JsonObject json = new JsonObject();
    json.addProperty("version", set.version());
    json.addProperty("leaderEpoch", set.leaderEpoch());
    json.add("drains", drains);
    return json.toString();
  }

  /**
   * Reads a drain set. A malformed drain in it is reported to {@code rejected} and skipped, so one
   * bad entry costs only itself.
   *
   * @param source where the text came from (the key), for the message
   * @throws IllegalArgumentException naming {@code source} and the bad field, when the document
   *     itself (its version, epoch or list) is malformed
   */
  static DrainSet decode(String text, String source, Consumer<String> rejected) {
    JsonArray list;
    long version;
    long epoch;
    try {
      JsonObject json = object(JsonParser.parseString(text), "the document");
      JsonElement drains = json.get("drains");
      if (drains == null || !drains.isJsonArray()) {
        throw new IllegalArgumentException("drains: expected a list");
      }
      list = drains.getAsJsonArray();
      version = number(json, "version");
      epoch = number(json, "leaderEpoch");
    } catch (JsonParseException | IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": malformed drains (" + e.getMessage() + ")", e);
    }
    Map<String, DrainRecord> drains = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      try {
        DrainRecord record = record(object(list.get(i), "drains[" + i + "]"), "drains[" + i + "].");
        if (drains.putIfAbsent(record.region(), record) != null) {
          throw new IllegalArgumentException(
              "drains[" + i + "]: region " + LogValue.quoted(record.region()) + " twice");
        }
      } catch (IllegalArgumentException e) {
        rejected.accept(source + ": skipping a malformed drain (" + e.getMessage() + ")");
      }
    }
    return new DrainSet(version, epoch, drains);
  }

  /** Reads one per-region record of the older layout ({@code meridian/controller/drains/<r>}). */
  static DrainRecord decodeRecord(String text, String source) {
    try {
      return record(object(JsonParser.parseString(text), "the record"), "");
    } catch (JsonParseException | IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": malformed drain (" + e.getMessage() + ")", e);
    }
  }

  private static DrainRecord record(JsonObject json, String where) {
    String region = text(json, "region", where);
    if (!ResourceNames.isValid(region)) {
      throw new IllegalArgumentException(
          where + "region: " + LogValue.quoted(region) + " is not a region name");
    }
    try {
      return new DrainRecord(
          region,
          text(json, "who", where),
          text(json, "reason", where),
          Instant.parse(text(json, "startedAt", where)),
          flag(json, "forced", where));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(where + "startedAt: expected an ISO-8601 instant", e);
    }
  }

  private static JsonObject object(JsonElement element, String what) {
    if (!element.isJsonObject()) {
      throw new IllegalArgumentException(what + ": expected an object");
    }
    return element.getAsJsonObject();
  }

  private static String text(JsonObject json, String field, String where) {
    JsonElement value = json.get(field);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(where + field + ": expected a string");
    }
    return value.getAsString();
  }

  /** An optional boolean field, false when absent (records written before it existed). */
  private static boolean flag(JsonObject json, String field, String where) {
    JsonElement value = json.get(field);
    if (value == null) {
      return false;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
      throw new IllegalArgumentException(where + field + ": expected true or false");
    }
    return value.getAsBoolean();
  }

  private static long number(JsonObject json, String field) {
    JsonElement value = json.get(field);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw new IllegalArgumentException(field + ": expected a number");
    }
    long number = value.getAsLong();
    if (number < 0) {
      throw new IllegalArgumentException(field + ": " + number + " (expected: >= 0)");
    }
    return number;
  }
}
