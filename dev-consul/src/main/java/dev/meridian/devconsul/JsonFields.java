package dev.meridian.devconsul;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request JSON object decoded the way Consul's Go decoder does it: keys match field names
 * case-insensitively and any unknown key is a 400 {@code Request decode failed: json: unknown field
 * "X"}. Immutable.
 */
final class JsonFields {
  private static final String DECODE_FAILED = "Request decode failed: ";

  private final Map<String, JsonElement> fields;

  private JsonFields(Map<String, JsonElement> fields) {
    this.fields = fields;
  }

  /** Decodes a request body; an empty body is an empty object. */
  static JsonFields parse(byte[] body, Set<String> known) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return new JsonFields(Map.of());
    }
    JsonElement element;
    try {
      element = JsonParser.parseString(text);
    } catch (RuntimeException e) {
      throw ApiException.badRequest(DECODE_FAILED + "invalid JSON: " + e.getMessage());
    }
    return of(element, known);
  }

  static JsonFields of(JsonElement element, Set<String> known) {
    if (element == null || element.isJsonNull()) {
      return new JsonFields(Map.of());
    }
    if (!element.isJsonObject()) {
      throw typeError("object", "request body");
    }
    Map<String, String> canonical = new LinkedHashMap<>();
    known.forEach(name -> canonical.put(name.toLowerCase(Locale.ROOT), name));
    Map<String, JsonElement> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : element.getAsJsonObject().entrySet()) {
      String name = canonical.get(entry.getKey().toLowerCase(Locale.ROOT));
      if (name == null) {
        throw ApiException.badRequest(
            DECODE_FAILED + "json: unknown field \"" + entry.getKey() + "\"");
      }
      if (!entry.getValue().isJsonNull()) {
        fields.put(name, entry.getValue());
      }
    }
    return new JsonFields(fields);
  }

  boolean isEmpty() {
    return fields.isEmpty();
  }

  boolean has(String name) {
    return fields.containsKey(name);
  }

  /** The string value, or null when absent. */
  String string(String name) {
    JsonElement value = fields.get(name);
    if (value == null) {
      return null;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw typeError("string", name);
    }
    return value.getAsString();
  }

  String string(String name, String fallback) {
    String value = string(name);
    return value == null ? fallback : value;
  }

  Boolean bool(String name) {
    JsonElement value = fields.get(name);
    if (value == null) {
      return null;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
      throw typeError("bool", name);
    }
    return value.getAsBoolean();
  }

  /** A whole number, or null when absent. */
  Long number(String name) {
    JsonElement value = fields.get(name);
    if (value == null) {
      return null;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw typeError("number", name);
    }
    try {
      return value.getAsBigDecimal().longValueExact();
    } catch (ArithmeticException e) {
      throw typeError("integer", name);
    }
  }

  /** The value as a whole number when it is a JSON number, else null (absent or a string). */
  Long numberOrNull(String name) {
    JsonElement value = fields.get(name);
    boolean isNumber =
        value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber();
    return isNumber ? number(name) : null;
  }

  /** A list of strings; empty when absent. */
  List<String> strings(String name) {
    JsonElement value = fields.get(name);
    if (value == null) {
      return List.of();
    }
    if (!value.isJsonArray()) {
      throw typeError("array", name);
    }
    List<String> result = new ArrayList<>();
    for (JsonElement item : value.getAsJsonArray()) {
      if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
        throw typeError("string", name);
      }
      result.add(item.getAsString());
    }
    return result;
  }

  /** A string-to-string map (user data such as {@code Meta}: keys kept as sent). */
  Map<String, String> stringMap(String name) {
    JsonElement value = fields.get(name);
    if (value == null) {
      return Map.of();
    }
    if (!value.isJsonObject()) {
      throw typeError("object", name);
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : value.getAsJsonObject().entrySet()) {
      JsonElement item = entry.getValue();
      if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
        throw typeError("string", name);
      }
      result.put(entry.getKey(), item.getAsString());
    }
    return result;
  }

  /**
   * A duration written as a Go duration string or as a number of nanoseconds, the two forms
   * Consul's decoder accepts; null when absent.
   */
  Duration duration(String name) {
    JsonElement value = fields.get(name);
    if (value == null) {
      return null;
    }
    JsonPrimitive primitive = value.isJsonPrimitive() ? value.getAsJsonPrimitive() : null;
    if (primitive != null && primitive.isNumber()) {
      return Duration.ofNanos(number(name));
    }
    String text = string(name);
    if (text.isEmpty()) {
      return Duration.ZERO;
    }
    try {
      return GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(DECODE_FAILED + e.getMessage());
    }
  }

  /** A nested object; empty when absent. */
  JsonFields object(String name, Set<String> known) {
    return of(fields.get(name), known);
  }

  /** A list of nested objects; empty when absent. */
  List<JsonFields> objects(String name, Set<String> known) {
    JsonElement value = fields.get(name);
    if (value == null) {
      return List.of();
    }
    if (!value.isJsonArray()) {
      throw typeError("array", name);
    }
    List<JsonFields> result = new ArrayList<>();
    value.getAsJsonArray().forEach(item -> result.add(of(item, known)));
    return result;
  }

  private static ApiException typeError(String expected, String field) {
    return ApiException.badRequest(
        DECODE_FAILED
            + "json: cannot unmarshal into field \""
            + field
            + "\" (expected "
            + expected
            + ")");
  }
}
