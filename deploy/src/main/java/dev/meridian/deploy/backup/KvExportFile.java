package dev.meridian.deploy.backup;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The file format of {@code consul kv export} and {@code consul kv import}: a JSON array of {@code
 * {"key", "flags", "value"}} objects, the value base64-encoded. Reading checks every entry and
 * names the file, the entry's position and its key in what it rejects.
 */
public final class KvExportFile {
  private KvExportFile() {}

  /**
   * One key of the file.
   *
   * @param key the KV key
   * @param flags Consul's opaque flags
   * @param value the value, as UTF-8 text
   */
  public record Entry(String key, long flags, String value) {}

  /**
   * Writes {@code entries} to {@code file}, replacing it only once the whole file is written.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void write(Path file, List<Entry> entries) {
    JsonArray array = new JsonArray();
    for (Entry entry : entries) {
      JsonObject object = new JsonObject();
      object.addProperty("key", entry.key());
      object.addProperty("flags", entry.flags());
      object.addProperty(
          "value",
          Base64.getEncoder().encodeToString(entry.value().getBytes(StandardCharsets.UTF_8)));
      array.add(object);
    }
    Path absolute = file.toAbsolutePath();
    try {
      Path partial = Files.createTempFile(absolute.getParent(), file.getFileName() + ".", ".part");
      Files.writeString(
          partial,
          new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(array)
              + "\n");
      Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the entries of {@code file}, in file order.
   *
   * @throws IllegalArgumentException naming the file, and the entry, when it is unreadable or not
   *     such an array
   */
  public static List<Entry> read(Path file) {
    JsonElement root;
    try {
      root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(file + ": not JSON: " + e.getMessage(), e);
    }
    if (!root.isJsonArray()) {
      throw new IllegalArgumentException(
          file + ": expected a JSON array of {key, flags, value} (as consul kv export writes)");
    }
    List<Entry> entries = new ArrayList<>();
    JsonArray array = root.getAsJsonArray();
    for (int i = 0; i < array.size(); i++) {
      entries.add(entry(file + ": entry " + (i + 1), array.get(i)));
    }
    return entries;
  }

  private static Entry entry(String where, JsonElement element) {
    if (!element.isJsonObject()) {
      throw new IllegalArgumentException(where + ": expected an object {key, flags, value}");
    }
    JsonObject object = element.getAsJsonObject();
    String key = text(where, object, "key");
    String at = where + " (" + key + ")";
    long flags;
    try {
      flags = object.has("flags") ? object.get("flags").getAsLong() : 0;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          at + ": flags: " + object.get("flags") + " (expected: an integer)", e);
    }
    String value =
        object.has("value") && !object.get("value").isJsonNull() ? text(at, object, "value") : "";
    try {
      return new Entry(
          key, flags, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ": value is not base64: " + e.getMessage(), e);
    }
  }

  private static String text(String where, JsonObject object, String field) {
    JsonElement value = object.get(field);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(
          where + ": " + field + ": " + value + " (expected: a string)");
    }
    return value.getAsString();
  }
}
