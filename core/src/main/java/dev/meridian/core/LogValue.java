package dev.meridian.core;

/**
 * A value of a {@code key=value} log line that came from a caller (request ids, reasons, model
 * names): {@link CallerText#bounded bounded}, on one line, and in double quotes with any quote
 * inside escaped, so that no value can end its field early or forge another line.
 */
public final class LogValue {
  private LogValue() {}

  /** {@code text} as a quoted log value, for example {@code "a \"b\"\nc"}. */
  public static String quoted(String text) {
    return '"' + CallerText.bounded(text).replace("\"", "\\\"") + '"';
  }
}
