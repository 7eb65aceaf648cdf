package dev.meridian.agent.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A replica process's heap limit, written as the JVM's {@code -Xmx} takes it: {@code 512m}, {@code
 * 2g}. Immutable.
 *
 * @param text the limit as written, for example {@code 512m}
 * @param bytes the limit in bytes
 */
public record MemoryLimit(String text, long bytes) {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,9})([kmg])");

  /** Below this a JVM with gRPC and a model cannot even start. */
  public static final MemoryLimit MIN = parse("32m").orElseThrow();

  /** Parses {@code 512m}-style text; empty if it is not one. */
  public static Optional<MemoryLimit> parse(String text) {
    Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      return Optional.empty();
    }
    int shift =
        switch (matcher.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          default -> 30;
        };
    return Optional.of(new MemoryLimit(matcher.group(), Long.parseLong(matcher.group(1)) << shift));
  }

  /** The JVM option that sets this limit. */
  public String jvmOption() {
    return "-Xmx" + text;
  }

  /** The limit as written, as config files and messages show it. */
  @Override
  public String toString() {
    return text;
  }
}
