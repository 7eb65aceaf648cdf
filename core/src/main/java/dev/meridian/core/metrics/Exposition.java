package dev.meridian.core.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * One scrape's worth of Prometheus metric families: collects series, groups them by family, keeps
 * out series that would make the exposition invalid, and writes the text sorted by family name and
 * then by labels.
 *
 * <p>Not thread-safe: each scrape builds its own.
 */
final class Exposition {
  private static final Logger logger = Logger.getLogger(Exposition.class.getName());

  /** A Prometheus metric type, and the sample names a family of that type writes. */
  enum Type {
    COUNTER(""),
    GAUGE(""),
    SUMMARY("", "_sum", "_count");

    private final List<String> suffixes;

    Type(String... suffixes) {
      this.suffixes = List.of(suffixes);
    }
  }

  /**
   * One line of a series: the family name plus {@code suffix}, an optional {@code quantile} label,
   * and the value.
   */
  record Sample(String suffix, String quantile, double value) {
    static Sample of(String suffix, double value) {
      return new Sample(suffix, null, value);
    }

    static Sample quantile(double quantile, double value) {
      return new Sample("", formatValue(quantile), value);
    }
  }

  private final SortedMap<String, Family> families = new TreeMap<>();

  /** Sample names already written by some family, each mapped to that family's name. */
  private final Map<String, String> sampleOwners = new HashMap<>();

  /**
   * Adds one series to family {@code name}, unless that family has another type, another family
   * already writes one of its sample names, or the family already has a series with these labels:
   * Prometheus rejects such an exposition whole, so the later series is logged and left out.
   */
  void add(
      String name, Type type, String help, SortedMap<String, String> labels, List<Sample> samples) {
    Family family = families.get(name);
    if (family == null) {
      for (String suffix : type.suffixes) {
        String owner = sampleOwners.get(name + suffix);
        if (owner != null) {
          logger.warning(() -> "Skipping " + help + ": " + name + suffix + " is in " + owner);
          return;
        }
      }
      family = new Family(type, help);
      families.put(name, family);
      type.suffixes.forEach(suffix -> sampleOwners.put(name + suffix, name));
    } else if (family.type != type) {
      Type existing = family.type;
      logger.warning(() -> "Skipping " + help + ": " + name + " is already a " + existing);
      return;
    }
    if (family.series.putIfAbsent(formatLabels(labels), samples) != null) {
      logger.warning(() -> "Skipping " + help + ": " + name + labels + " is already written");
    }
  }

  /** Returns the exposition text. */
  String text() {
    StringBuilder out = new StringBuilder();
    families.forEach(
        (name, family) -> {
          out.append("# HELP ").append(name).append(' ').append(escapeHelp(family.help));
          out.append('\n');
          out.append("# TYPE ").append(name).append(' ');
          out.append(family.type.name().toLowerCase(Locale.ROOT)).append('\n');
          family.series.forEach(
              (labels, samples) ->
                  samples.forEach(sample -> writeSample(out, name, labels, sample)));
        });
    return out.toString();
  }

  private static void writeSample(StringBuilder out, String name, String labels, Sample sample) {
    out.append(name).append(sample.suffix());
    StringJoiner all = new StringJoiner(",", "{", "}").setEmptyValue("");
    if (!labels.isEmpty()) {
      all.add(labels);
    }
    if (sample.quantile() != null) {
      all.add("quantile=\"" + sample.quantile() + "\"");
    }
    out.append(all).append(' ').append(formatValue(sample.value())).append('\n');
  }

  /** Formats labels as they appear between braces; sorted input makes the result canonical. */
  private static String formatLabels(SortedMap<String, String> labels) {
    StringJoiner out = new StringJoiner(",");
    labels.forEach((name, value) -> out.add(name + "=\"" + escapeLabelValue(value) + "\""));
    return out.toString();
  }

  private static String escapeLabelValue(String value) {
    return escapeHelp(value).replace("\"", "\\\"");
  }

  private static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }

  /** Formats a value as Prometheus parses it, whole numbers without a fraction. */
  private static String formatValue(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    // Below 2^53 every whole double is exact as a long, and counts read better without ".0".
    if (value == Math.rint(value) && Math.abs(value) < 0x1p53) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  /** A family's type, help and series, keyed and so sorted by their formatted labels. */
  private static final class Family {
    final Type type;
    final String help;
    final SortedMap<String, List<Sample>> series = new TreeMap<>();

    Family(Type type, String help) {
      this.type = type;
      this.help = help;
    }
  }
}
