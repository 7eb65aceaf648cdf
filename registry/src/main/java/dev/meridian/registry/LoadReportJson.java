package dev.meridian.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link LoadReport} as the JSON kept in KV, small and readable with {@code consul kv get}:
 *
 * <pre>
 * {"gateway": "eu-west-gw-1", "at": "2026-12-01T18:00:05Z", "intervalMillis": 5000,
 *  "models": {"fraud-score": {"eu-west": {"callsPerSecond": 98.2, "inFlight": 1.9},
 *                             "us-east": {"callsPerSecond": 101.0, "inFlight": 2.3}}},
 *  "breakers": {"fraud-score": {"eu-west": "CLOSED", "us-east": "OPEN"}}}
 * </pre>
 *
 * <p>{@code breakers} may be missing (a gateway of an earlier version): none are known.
 */
public final class LoadReportJson {
  private LoadReportJson() {}

  /** The JSON of {@code report}. */
  public static String encode(LoadReport report) {
    JsonObject models = new JsonObject();
    report
        .models()
        .forEach(
            (model, regions) -> {
              JsonObject byRegion = new JsonObject();
              regions.forEach(
                  (region, load) -> {
                    JsonObject figures = new JsonObject();
                    figures.addProperty("callsPerSecond", load.callsPerSecond());
                    figures.addProperty("inFlight", load.inFlight());
                    byRegion.add(region, figures);
                  });
              models.add(model, byRegion);
            });
    JsonObject json = new JsonObject();
    json.addProperty("gateway", report.gateway());
    json.addProperty("at", report.at().toString());
    json.addProperty("intervalMillis", report.interval().toMillis());
    json.add("models", models);
    JsonObject breakers = new JsonObject();
    report
        .breakers()
        .forEach(
            (model, regions) -> {
              JsonObject byRegion = new JsonObject();
              regions.forEach(byRegion::addProperty);
              breakers.add(model, byRegion);
            });
    json.add("breakers", breakers);
    return json.toString();
  }

  /**
   * Reads a report.
   *
   * @throws IllegalArgumentException saying what is wrong when {@code text} is not one
   */
  public static LoadReport decode(String text) {
    try {
      JsonObject json = JsonParser.parseString(text).getAsJsonObject();
      Map<String, Map<String, LoadReport.RegionLoad>> models = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> model :
          field(json, "models").getAsJsonObject().entrySet()) {
        Map<String, LoadReport.RegionLoad> regions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> region :
            model.getValue().getAsJsonObject().entrySet()) {
          JsonObject figures = region.getValue().getAsJsonObject();
          regions.put(
              region.getKey(),
              new LoadReport.RegionLoad(
                  field(figures, "callsPerSecond").getAsDouble(),
                  field(figures, "inFlight").getAsDouble()));
        }
        models.put(model.getKey(), regions);
      }
      Map<String, Map<String, String>> breakers = new LinkedHashMap<>();
      JsonElement breakerField = json.get("breakers");
      if (breakerField != null && !breakerField.isJsonNull()) {
        for (Map.Entry<String, JsonElement> model : breakerField.getAsJsonObject().entrySet()) {
          Map<String, String> regions = new LinkedHashMap<>();
          model
              .getValue()
              .getAsJsonObject()
              .entrySet()
              .forEach(region -> regions.put(region.getKey(), region.getValue().getAsString()));
          breakers.put(model.getKey(), regions);
        }
      }
      return new LoadReport(
          field(json, "gateway").getAsString(),
          Instant.parse(field(json, "at").getAsString()),
          Duration.ofMillis(field(json, "intervalMillis").getAsLong()),
          models,
          breakers);
    } catch (JsonParseException
        | IllegalStateException
        | UnsupportedOperationException
        | NumberFormatException
        | DateTimeParseException e) {
      throw new IllegalArgumentException("not a load report: " + e.getMessage(), e);
    }
  }

  private static JsonElement field(JsonObject json, String name) {
    JsonElement value = json.get(name);
    if (value == null || value.isJsonNull()) {
      throw new IllegalArgumentException("not a load report: no \"" + name + "\"");
    }
    return value;
  }
}
