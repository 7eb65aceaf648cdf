package dev.meridian.core;

/**
 * A value of a {@code key=value} log line that came from a caller (request ids, reasons, model
 * names) or carries caller text (a call's attempt summary): at most {@link #MAX_LOGGED} characters,
 * escaped onto one line like {@link CallerText}, and in double quotes with any quote inside
 * escaped, so that no value can end its field early or forge another line.
 */
public final class LogValue {
  /** The most characters of one value logged. */
  public static final int MAX_LOGGED = 1024;

  private LogValue() {}

  /** {@code text} as a quoted log value, for example {@code "a \"b\"\nc"}. */
  public static String quoted(String text) {
    return '"' + CallerText.bounded(text, MAX_LOGGED).replace("\"", "\\\"") + '"';
  }
}
