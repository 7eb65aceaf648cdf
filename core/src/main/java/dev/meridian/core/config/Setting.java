package dev.meridian.core.config;

import dev.meridian.core.Durations;
import dev.meridian.core.ResourceNames;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * One configuration key, stated once: its full path in the file ({@code
 * policies.retry.max-attempts}, or {@code models[].replicas} for a key of each list item), its
 * type, the values it accepts, its default and what it means. Readers take values through it,
 * records check values built in code through it, and the README's reference table is generated from
 * it, so none of these can disagree. Immutable; the {@code with}-style methods return a changed
 * copy.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {
  private final String key;
  private final BiFunction<ConfigNode, String, T> reader;
  private final Predicate<T> allowed;
  private final String expected;
  private final Presence presence;
  private final T defaultValue;
  private final String defaultText;
  private final String meaning;

  /** Whether a value may be absent, and what absence means. */
  private enum Presence {
    REQUIRED,
    OPTIONAL,
    DEFAULTED
  }

  private Setting(
      String key,
      BiFunction<ConfigNode, String, T> reader,
      Predicate<T> allowed,
      String expected,
      Presence presence,
      T defaultValue,
      String defaultText,
      String meaning) {
    this.key = key;
    this.reader = reader;
    this.allowed = allowed;
    this.expected = expected;
    this.presence = presence;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.meaning = meaning;
  }

  /**
   * A key whose value {@code reader} reads from the parent node and the leaf name, rejecting values
   * of the wrong shape with {@link ConfigNode#invalid}; {@code typeText} says what it accepts.
   */
  public static <T> Setting<T> of(
      String key, String typeText, BiFunction<ConfigNode, String, T> reader) {
    return new Setting<>(key, reader, value -> true, typeText, Presence.OPTIONAL, null, null, "");
  }

  /** An integer in {@code min..max}. */
  public static Setting<Integer> integer(String key, int min, int max) {
    String range = max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
    return of(key, "an integer", Setting::readInteger)
        .allowing(value -> value >= min && value <= max, range);
  }

  /** A number in {@code min..max}. */
  public static Setting<Double> number(String key, double min, double max) {
    return of(key, "a number", Setting::readNumber)
        .allowing(value -> value >= min && value <= max, min + ".." + max);
  }

  /** A duration of at least {@code min}. */
  public static Setting<Duration> duration(String key, Duration min) {
    return of(key, "a duration such as 250ms, 10s or 5m", Setting::readDuration)
        .allowing(value -> value.compareTo(min) >= 0, ">= " + Durations.format(min));
  }

  /** A duration in {@code min..max}. */
  public static Setting<Duration> duration(String key, Duration min, Duration max) {
    return of(key, "a duration such as 250ms, 10s or 5m", Setting::readDuration)
        .allowing(
            value -> value.compareTo(min) >= 0 && value.compareTo(max) <= 0,
            Durations.format(min) + ".." + Durations.format(max));
  }

  /** {@code true} or {@code false}. */
  public static Setting<Boolean> flag(String key) {
    return of(key, "true or false", Setting::readFlag);
  }

  /** A non-empty string. */
  public static Setting<String> text(String key) {
    return of(key, "a non-empty string", Setting::readText)
        .allowing(value -> !value.isBlank(), "a non-empty string");
  }

  /** A model or region name ({@link ResourceNames}). */
  public static Setting<String> name(String key) {
    return text(key).allowing(ResourceNames::isValid, ResourceNames.RULE);
  }

  /** A file path, relative to the working directory unless absolute. */
  public static Setting<Path> path(String key) {
    return of(key, "a file path", Setting::readPath);
  }

  /** A list of strings; absent means empty. */
  public static Setting<List<String>> texts(String key) {
    return of(key, "a list of strings", (node, leaf) -> node.strings(leaf))
        .withDefault(List.of(), "none");
  }

  /** This key with {@code value} as its default. */
  public Setting<T> withDefault(T value) {
    return withDefault(value, null);
  }

  /** This key with {@code value} as its default, documented as {@code text}. */
  public Setting<T> withDefault(T value, String text) {
    return new Setting<>(key, reader, allowed, expected, Presence.DEFAULTED, value, text, meaning);
  }

  /** This key, which must be present. */
  public Setting<T> required() {
    return new Setting<>(key, reader, allowed, expected, Presence.REQUIRED, null, null, meaning);
  }

  /**
   * This key, whose absence the reader resolves from other keys ({@link #readOptional}); documented
   * as {@code text}.
   */
  public Setting<T> derivedWhenAbsent(String text) {
    return new Setting<>(key, reader, allowed, expected, Presence.OPTIONAL, null, text, meaning);
  }

  /** This key, accepting only values {@code test} passes, which {@code text} describes. */
  public Setting<T> allowing(Predicate<T> test, String text) {
    return new Setting<>(key, reader, test, text, presence, defaultValue, defaultText, meaning);
  }

  /** This key, documented as meaning {@code text}. */
  public Setting<T> means(String text) {
    return new Setting<>(key, reader, allowed, expected, presence, defaultValue, defaultText, text);
  }

  /** The full key, e.g. {@code policies.retry.max-attempts}. */
  public String key() {
    return key;
  }

  /** The last part of the key, under its parent mapping. */
  public String leaf() {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? key : key.substring(dot + 1);
  }

  /** The default value. */
  public T defaultValue() {
    if (presence != Presence.DEFAULTED) {
      throw new IllegalStateException(key + " has no default");
    }
    return defaultValue;
  }

  /** What the key means, for the reference table. */
  public String meaning() {
    return meaning;
  }

  /** What the key accepts, for the reference table and messages. */
  public String expected() {
    return expected;
  }

  /** The default as the reference table shows it. */
  public String defaultDescription() {
    if (defaultText != null) {
      return defaultText;
    }
    return switch (presence) {
      case REQUIRED -> "required";
      case OPTIONAL -> "none";
      case DEFAULTED ->
          "`" + (defaultValue instanceof String text ? text : render(defaultValue)) + "`";
    };
  }

  /**
   * Reads the key from {@code parent}, the mapping that holds it; the default when absent.
   *
   * @throws ConfigException naming the file and key when the value is bad or a required one missing
   */
  public T read(ConfigNode parent) {
    Optional<T> value = readOptional(parent);
    if (value.isPresent()) {
      return value.get();
    }
    return switch (presence) {
      case DEFAULTED -> defaultValue;
      case REQUIRED -> throw parent.invalid(leaf(), null, "a value: the key is required");
      case OPTIONAL -> throw new IllegalStateException(key + " has no default: use readOptional");
    };
  }

  /** Reads the key from {@code parent} if present; checks it like {@link #read}. */
  public Optional<T> readOptional(ConfigNode parent) {
    Object raw = parent.raw(leaf());
    if (raw == null) {
      return Optional.empty();
    }
    T value = reader.apply(parent, leaf());
    if (!allowed.test(value)) {
      throw parent.invalid(leaf(), raw, expected);
    }
    return Optional.of(value);
  }

  /**
   * Checks a value built in code.
   *
   * @return the value
   * @throws IllegalArgumentException naming the key, e.g. {@code listen.port: 70000 (expected:
   *     0..65535)}
   */
  public T check(T value) {
    if (value == null || !allowed.test(value)) {
      throw invalid(value, expected);
    }
    return value;
  }

  /** The exception for a value of this key that fails a rule involving other keys. */
  public IllegalArgumentException invalid(Object value, String expectation) {
    return new IllegalArgumentException(
        key + ": " + render(value) + " (expected: " + expectation + ")");
  }

  private static String render(Object value) {
    if (value instanceof Duration duration) {
      return Durations.format(duration);
    }
    if (value instanceof String text) {
      return "'" + text + "'";
    }
    return String.valueOf(value);
  }

  private static Integer readInteger(ConfigNode node, String leaf) {
    if (!(node.raw(leaf) instanceof Integer number)) {
      throw node.invalid(leaf, node.raw(leaf), "an integer");
    }
    return number;
  }

  private static Double readNumber(ConfigNode node, String leaf) {
    if (!(node.raw(leaf) instanceof Number number)) {
      throw node.invalid(leaf, node.raw(leaf), "a number");
    }
    return number.doubleValue();
  }

  private static Boolean readFlag(ConfigNode node, String leaf) {
    if (!(node.raw(leaf) instanceof Boolean flag)) {
      throw node.invalid(leaf, node.raw(leaf), "true or false");
    }
    return flag;
  }

  private static String readText(ConfigNode node, String leaf) {
    Object raw = node.raw(leaf);
    if (raw instanceof Map || raw instanceof List || raw.toString().isBlank()) {
      throw node.invalid(leaf, raw, "a non-empty string");
    }
    return raw.toString();
  }

  private static Duration readDuration(ConfigNode node, String leaf) {
    String text = readText(node, leaf);
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw node.invalid(leaf, text, "a duration such as 250ms, 10s or 5m");
    }
  }

  private static Path readPath(ConfigNode node, String leaf) {
    String text = readText(node, leaf);
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw node.invalid(leaf, text, "a file path");
    }
  }

  /** Every key of {@code groups}, in order, for a role's schema. */
  @SafeVarargs
  public static List<Setting<?>> all(List<? extends Setting<?>>... groups) {
    List<Setting<?>> result = new ArrayList<>();
    for (List<? extends Setting<?>> group : groups) {
      result.addAll(group);
    }
    return List.copyOf(result);
  }

  @Override
  public String toString() {
    return key;
  }
}
