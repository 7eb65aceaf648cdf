package dev.meridian.core;

import java.util.regex.Pattern;

/**
 * The one rule for the names of models and regions, wherever they enter: config files, replicas'
 * Consul tags and metadata, Predict calls, admin calls. They end up in Consul keys, service tags,
 * metric names and URLs, so they are restricted to what needs no escaping anywhere: letters and
 * digits, with single {@code .}, {@code _} or {@code -} between them, at most {@value #MAX_CHARS}
 * characters. A name such as {@code a..b} or {@code -x} is refused at the door rather than deep in
 * a Consul write. Stateless and thread-safe.
 */
public final class ResourceNames {
  /** The longest model or region name, in characters. */
  public static final int MAX_CHARS = 128;

  /** The rule, for error messages. */
  public static final String RULE =
      "1 to " + MAX_CHARS + " letters or digits, with single '.', '_' or '-' between them";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]+([._-][A-Za-z0-9]+)*");

  private ResourceNames() {}

  /** Whether {@code name} is a valid model or region name. */
  public static boolean isValid(String name) {
    return name != null && name.length() <= MAX_CHARS && NAME.matcher(name).matches();
  }
}
