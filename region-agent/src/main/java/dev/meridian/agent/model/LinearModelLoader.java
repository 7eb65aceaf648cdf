package dev.meridian.agent.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a {@link LinearModel} from its JSON description, for example:
 *
 * <pre>{@code
 * {"name": "fraud-score", "version": "1", "activation": "sigmoid",
 *  "input": "features", "output": "probability",
 *  "weights": [[0.8, 1.5, 1.1, -0.6]], "bias": [-2.0]}
 * }</pre>
 *
 * Every error names the source and the offending key.
 */
public final class LinearModelLoader {
  private static final Set<String> KEYS =
      Set.of("name", "version", "activation", "input", "output", "weights", "bias");

  private LinearModelLoader() {}

  /** Loads a model from a JSON file. */
  public static LinearModel load(Path file) throws ModelLoadException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString());
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read model file: " + e.getMessage(), e);
    }
  }

  /**
   * Parses a model from JSON text.
   *
   * @param source how to name the text in errors, for example its file name
   */
  public static LinearModel parse(Reader json, String source) throws ModelLoadException {
    JsonObject root;
    try {
      JsonElement element = JsonParser.parseReader(json);
      if (!element.isJsonObject()) {
        throw new ModelLoadException(source + ": expected a JSON object");
      }
      root = element.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new ModelLoadException(source + ": not valid JSON: " + e.getMessage(), e);
    }
    for (String key : root.keySet()) {
      if (!KEYS.contains(key)) {
        throw new ModelLoadException(
            source + ": unknown key '" + key + "' (expected: " + KEYS + ")");
      }
    }
    Fields fields = new Fields(root, source);
    float[][] weights = fields.matrix("weights");
    float[] bias = fields.vector(root.get("bias"), "bias");
    if (bias.length != weights.length) {
      throw new ModelLoadException(
          source
              + ": bias: has "
              + bias.length
              + " values (expected: "
              + weights.length
              + ", one per row of weights)");
    }
    return new LinearModel(
        fields.string("name", null),
        fields.string("version", "1"),
        fields.activation(),
        fields.string("input", "features"),
        fields.string("output", "scores"),
        weights,
        bias);
  }

  /** Typed access to the keys of one model description, with errors that name the key. */
  private record Fields(JsonObject root, String source) {
    String string(String key, String fallback) throws ModelLoadException {
      JsonElement value = root.get(key);
      if (value == null && fallback != null) {
        return fallback;
      }
      if (value == null || !value.isJsonPrimitive() || value.getAsString().isBlank()) {
        throw new ModelLoadException(source + ": " + key + ": expected a non-empty string");
      }
      return value.getAsString();
    }

    LinearModel.Activation activation() throws ModelLoadException {
      String value = string("activation", "identity");
      try {
        return LinearModel.Activation.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ModelLoadException(
            source + ": activation: '" + value + "' (expected: identity or sigmoid)", e);
      }
    }

    float[][] matrix(String key) throws ModelLoadException {
      JsonElement value = root.get(key);
      if (value == null || !value.isJsonArray() || value.getAsJsonArray().isEmpty()) {
        throw new ModelLoadException(
            source + ": " + key + ": expected a non-empty array of rows of numbers");
      }
      JsonArray rows = value.getAsJsonArray();
      float[][] matrix = new float[rows.size()][];
      for (int i = 0; i < rows.size(); i++) {
        matrix[i] = vector(rows.get(i), key + "[" + i + "]");
        if (matrix[i].length != matrix[0].length) {
          throw new ModelLoadException(
              source
                  + ": "
                  + key
                  + "["
                  + i
                  + "]: has "
                  + matrix[i].length
                  + " values (expected: "
                  + matrix[0].length
                  + ", as "
                  + key
                  + "[0])");
        }
      }
      return matrix;
    }

    float[] vector(JsonElement value, String key) throws ModelLoadException {
      if (value == null || !value.isJsonArray() || value.getAsJsonArray().isEmpty()) {
        throw new ModelLoadException(
            source + ": " + key + ": expected a non-empty array of numbers");
      }
      JsonArray array = value.getAsJsonArray();
      float[] vector = new float[array.size()];
      for (int i = 0; i < array.size(); i++) {
        JsonElement item = array.get(i);
        if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isNumber()) {
          throw new ModelLoadException(
              source + ": " + key + "[" + i + "]: expected a number, got " + item);
        }
        vector[i] = item.getAsFloat();
        if (!Float.isFinite(vector[i])) {
          throw new ModelLoadException(
              source + ": " + key + "[" + i + "]: not a finite FP32 value");
        }
      }
      return vector;
    }
  }
}
