package dev.meridian.core.metrics;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Builds Meridian's tagged metric names, which carry Prometheus labels inside a Dropwizard name:
 * {@code base{name=value,name=value}}, for example {@code
 * gateway.calls{model=fraud-score,region=eu-west}}. Build them with {@link #tagged} rather than by
 * hand, so that label order and escaping are canonical and the same labels always find the same
 * metric in the registry.
 *
 * <p>Stateless and thread-safe.
 */
public final class MetricNames {
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** Summaries carry a label of this name themselves, so a metric may not. */
  private static final String QUANTILE = "quantile";

  private MetricNames() {}

  /**
   * Returns {@code base} tagged with labels, sorted by name: {@code tagged("gateway.calls",
   * "region", "eu-west", "model", "fraud-score")} is {@code
   * gateway.calls{model=fraud-score,region=eu-west}}. Without labels it returns {@code base}.
   * Values may hold any character; backslashes and commas in them are escaped with a backslash.
   *
   * @param base a Dropwizard name, dotted by convention, such as {@code gateway.calls}
   * @param labels alternating label names and values
   * @throws IllegalArgumentException if {@code base} is empty or holds '{', {@code labels} has an
   *     odd length, or a label name is malformed, reserved or repeated
   */
  public static String tagged(String base, String... labels) {
    if (base.isEmpty() || base.indexOf('{') >= 0) {
      throw new IllegalArgumentException(
          "base: \"" + base + "\" (expected: not empty and without '{')");
    }
    if (labels.length % 2 != 0) {
      throw new IllegalArgumentException(
          "labels: " + labels.length + " strings (expected: name, value pairs)");
    }
    SortedMap<String, String> sorted = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      String name = labels[i];
      String value = Objects.requireNonNull(labels[i + 1], () -> "value of label " + name);
      if (!isLabelName(name)) {
        throw new IllegalArgumentException(
            "label name: \""
                + name
                + "\" (expected: [a-zA-Z_][a-zA-Z0-9_]*, not starting with __, not quantile)");
      }
      if (sorted.put(name, value) != null) {
        throw new IllegalArgumentException("label name: \"" + name + "\" (expected: no repeats)");
      }
    }
    if (sorted.isEmpty()) {
      return base;
    }
    StringJoiner name = new StringJoiner(",", base + "{", "}");
    sorted.forEach((key, value) -> name.add(key + "=" + escape(value)));
    return name.toString();
  }

  /**
   * Splits a registry name into its base and labels. A name that is not well-formed tagged syntax
   * is all base, without labels, so that a hand-written name can never break an export.
   */
  static Tagged parse(String name) {
    int open = name.indexOf('{');
    if (open > 0 && name.endsWith("}")) {
      Optional<SortedMap<String, String>> labels =
          parseLabels(name.substring(open + 1, name.length() - 1));
      if (labels.isPresent()) {
        return new Tagged(name.substring(0, open), labels.get());
      }
    }
    return new Tagged(name, Collections.emptySortedMap());
  }

  /**
   * Maps a Dropwizard name onto Prometheus' metric name alphabet, each other character becoming
   * '_'. Colons are replaced too: Prometheus reserves them for recording rules.
   */
  static String sanitize(String name) {
    StringBuilder out = new StringBuilder(name.length() + 1);
    if (name.isEmpty() || isDigit(name.charAt(0))) {
      out.append('_');
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(isAsciiLetter(c) || isDigit(c) || c == '_' ? c : '_');
    }
    return out.toString();
  }

  /** A name split into its base and its labels, sorted by label name. */
  record Tagged(String base, SortedMap<String, String> labels) {}

  private static Optional<SortedMap<String, String>> parseLabels(String body) {
    SortedMap<String, String> labels = new TreeMap<>();
    int i = 0;
    while (i < body.length()) {
      int equals = body.indexOf('=', i);
      if (equals < 0) {
        return Optional.empty();
      }
      String key = body.substring(i, equals);
      StringBuilder value = new StringBuilder();
      int j = equals + 1;
      for (; j < body.length() && body.charAt(j) != ','; j++) {
        if (body.charAt(j) == '\\' && ++j == body.length()) {
          return Optional.empty();
        }
        value.append(body.charAt(j));
      }
      if (!isLabelName(key) || labels.put(key, value.toString()) != null) {
        return Optional.empty();
      }
      // A trailing comma leaves nothing to parse after it, which is malformed.
      if (j == body.length() - 1) {
        return Optional.empty();
      }
      i = j + 1;
    }
    return Optional.of(labels);
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace(",", "\\,");
  }

  private static boolean isLabelName(String name) {
    return LABEL_NAME.matcher(name).matches() && !name.startsWith("__") && !name.equals(QUANTILE);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
