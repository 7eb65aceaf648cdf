package dev.meridian.core;

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

  private ResourceNames() {}

  /**
   * Whether {@code name} is a valid model or region name: {@code [A-Za-z0-9]+([._-][A-Za-z0-9]+)*},
   * read a character at a time, as every call's model name is.
   */
  public static boolean isValid(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_CHARS) {
      return false;
    }
    boolean afterSeparator = true; // the name may not start with one
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean separator = c == '.' || c == '_' || c == '-';
      if (separator ? afterSeparator : !isLetterOrDigit(c)) {
        return false;
      }
      afterSeparator = separator;
    }
    return !afterSeparator; // nor end with one
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
