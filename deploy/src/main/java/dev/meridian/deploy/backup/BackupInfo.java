package dev.meridian.deploy.backup;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a backup says about itself, kept in the file as one more KV entry ({@value #KEY}) so that
 * {@code consul kv import} still accepts the file.
 *
 * @param layout the version of the KV layout the backup holds, {@value #LAYOUT} today
 * @param takenAt when the backup was taken
 * @param datacenters the datacenters it was read from, where a restore writes by default
 * @param controlDatacenter the datacenter of the controllers' epoch counter and lock, if known
 */
public record BackupInfo(
    int layout, Instant takenAt, List<String> datacenters, Optional<String> controlDatacenter) {
  /** The key of the entry. */
  public static final String KEY = "meridian/backup/info";

  /**
   * The layout this code writes and reads: {@code meridian/routing/<model>} and {@code
   * meridian/drains} in every datacenter, {@code meridian/controller/epoch} in the control one.
   */
  public static final int LAYOUT = 1;

  /** Copies the list. */
  public BackupInfo {
    datacenters = List.copyOf(datacenters);
  }

  /** The entry's JSON. */
  public String toJson() {
    JsonObject object = new JsonObject();
    object.addProperty("layout", layout);
    object.addProperty("takenAt", takenAt.toString());
    JsonArray names = new JsonArray();
    datacenters.forEach(names::add);
    object.add("datacenters", names);
    controlDatacenter.ifPresent(name -> object.addProperty("controlDatacenter", name));
    return object.toString();
  }

  /**
   * Reads the entry's JSON.
   *
   * @param source where it came from, named in the error
   * @throws IllegalArgumentException when it is malformed or of a layout this code does not know
   */
  public static BackupInfo fromJson(String json, String source) {
    JsonObject object;
    try {
      object = JsonParser.parseString(json).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(source + ": not a JSON object: " + json, e);
    }
    String layout = text(object, "layout", source);
    if (!layout.equals(String.valueOf(LAYOUT))) {
      throw new IllegalArgumentException(
          source
              + ": layout "
              + layout
              + " (expected: "
              + LAYOUT
              + "; a newer meridian wrote it?)");
    }
    String takenAt = text(object, "takenAt", source);
    List<String> datacenters = new ArrayList<>();
    JsonElement names = object.get("datacenters");
    if (names == null || !names.isJsonArray() || names.getAsJsonArray().isEmpty()) {
      throw new IllegalArgumentException(
          source + ": datacenters: " + names + " (expected: a list of datacenter names)");
    }
    names.getAsJsonArray().forEach(name -> datacenters.add(name.getAsString()));
    try {
      return new BackupInfo(
          LAYOUT,
          Instant.parse(takenAt),
          datacenters,
          object.has("controlDatacenter")
              ? Optional.of(text(object, "controlDatacenter", source))
              : Optional.empty());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          source
              + ": takenAt: '"
              + takenAt
              + "' (expected: an instant such as 2026-01-31T12:00:00Z)",
          e);
    }
  }

  private static String text(JsonObject object, String field, String source) {
    JsonElement value = object.get(field);
    if (value == null || !value.isJsonPrimitive()) {
      throw new IllegalArgumentException(
          source + ": " + field + ": " + value + " (expected: a value)");
    }
    return value.getAsString();
  }
}
