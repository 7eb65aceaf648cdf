package dev.meridian.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * One mapping of a YAML configuration file, with typed accessors whose errors name the file and the
 * full key path ({@code agent.yaml: consul.port: 'abc' (expected: an integer)}). Unknown keys are
 * errors too, through {@link #allowOnly}, so a typo never passes silently. Immutable.
 */
public final class ConfigNode {
  private final String source;
  private final String path;
  private final Map<String, Object> values;

  private ConfigNode(String source, String path, Map<String, Object> values) {
    this.source = source;
    this.path = path;
    this.values = values;
  }

  /**
   * Reads a YAML file whose top level is a mapping.
   *
   * @throws ConfigException when the file cannot be read or parsed
   */
  public static ConfigNode load(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.getFileName().toString());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Reads YAML text; {@code source} names it in errors. */
  public static ConfigNode parse(Reader yaml, String source) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    } catch (YAMLException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null) {
      return new ConfigNode(source, "", Map.of());
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException(source + ": expected a mapping of keys to values at the top");
    }
    return new ConfigNode(source, "", stringKeys(source, "", map));
  }

  /** Wraps values built in code (for tests and defaults). */
  public static ConfigNode of(String source, Map<String, ?> values) {
    return new ConfigNode(source, "", stringKeys(source, "", values));
  }

  private static Map<String, Object> stringKeys(String source, String path, Map<?, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach(
        (key, value) -> {
          if (!(key instanceof String name)) {
            throw new ConfigException(
                source + ": " + path + "key " + key + " (expected: a string key)");
          }
          copy.put(name, value);
        });
    return copy;
  }

  /** The file (or other source) this node was read from, for messages. */
  public String source() {
    return source;
  }

  /** The keys present in this mapping, in file order. */
  public Set<String> keys() {
    return java.util.Collections.unmodifiableSet(values.keySet());
  }

  /** The value of {@code key} as parsed, or null; {@link Setting} types it. */
  Object raw(String key) {
    return values.get(key);
  }

  /** The full key of {@code key} under this node, for messages. */
  public String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Builds the exception for a bad value of {@code key}. */
  public ConfigException invalid(String key, Object value, String expected) {
    return new ConfigException(
        source + ": " + keyPath(key) + ": " + render(value) + " (expected: " + expected + ")");
  }

  private static String render(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }

  /**
   * Fails on any key not in {@code allowed}.
   *
   * @throws ConfigException naming the first unknown key and the allowed ones
   */
  public ConfigNode allowOnly(String... allowed) {
    Set<String> known = new TreeSet<>(List.of(allowed));
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        throw new ConfigException(
            source + ": " + keyPath(key) + ": unknown key (expected one of " + known + ")");
      }
    }
    return this;
  }

  /** A required non-blank string. */
  public String string(String key) {
    return optionalString(key).orElseThrow(() -> invalid(key, null, "a non-empty string"));
  }

  /** A string if present. */
  private Optional<String> optionalString(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Map || value instanceof List || value.toString().isBlank()) {
      throw invalid(key, value, "a non-empty string");
    }
    return Optional.of(value.toString());
  }

  /** A list of strings; empty when absent. */
  public List<String> strings(String key) {
    List<String> result = new ArrayList<>();
    for (Object item : list(key)) {
      if (item == null || item instanceof Map || item instanceof List) {
        throw invalid(key, item, "a list of strings");
      }
      result.add(item.toString());
    }
    return result;
  }

  /** A nested mapping; an empty node when absent. */
  public ConfigNode child(String key) {
    Object value = values.get(key);
    if (value == null) {
      return new ConfigNode(source, keyPath(key), Map.of());
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw invalid(key, value, "a mapping");
    }
    return new ConfigNode(source, keyPath(key), stringKeys(source, keyPath(key) + ".", map));
  }

  /** A list of mappings, each a node whose path carries its index; empty when absent. */
  public List<ConfigNode> children(String key) {
    List<ConfigNode> result = new ArrayList<>();
    List<?> items = list(key);
    for (int i = 0; i < items.size(); i++) {
      String itemPath = keyPath(key) + "[" + i + "]";
      if (!(items.get(i) instanceof Map<?, ?> map)) {
        throw new ConfigException(
            source + ": " + itemPath + ": " + render(items.get(i)) + " (expected: a mapping)");
      }
      result.add(new ConfigNode(source, itemPath, stringKeys(source, itemPath + ".", map)));
    }
    return result;
  }

  private List<?> list(String key) {
    Object value = values.get(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> items)) {
      throw invalid(key, value, "a list");
    }
    return items;
  }
}
