package dev.meridian.devconsul;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.Collection;

/**
 * The one Gson instance used for responses and snapshots. Nulls are written because Consul's bodies
 * contain them (a KV entry's {@code "Value": null}).
 */
final class Json {
  static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  private Json() {}

  static String write(JsonElement element) {
    return GSON.toJson(element);
  }

  static ApiResponse response(JsonElement element) {
    return ApiResponse.json(write(element));
  }

  static JsonArray strings(Collection<String> values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }
}
