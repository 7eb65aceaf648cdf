package dev.meridian.core;

/**
 * A logged value that came from a caller (request ids, reasons, model names) or carries caller text
 * (a call's attempt summary): at most {@link #MAX_LOGGED} characters, with control characters
 * escaped like {@link CallerText}. A key-value pair of a log line takes it {@link #bounded} (the
 * JSON encoder escapes it, so it cannot end its field or forge a line); text that names it inside a
 * sentence, such as a rejected record's description, takes it {@link #quoted}.
 */
public final class LogValue {
  /** The most characters of one value logged. */
  public static final int MAX_LOGGED = 1024;

  private LogValue() {}

  /** {@code text} as the value of a log line's key-value pair: bounded, on one line. */
  public static String bounded(String text) {
    return CallerText.bounded(text, MAX_LOGGED);
  }

  /** {@code text} as a quoted value inside a sentence, for example {@code "a \"b\"\nc"}. */
  public static String quoted(String text) {
    return '"' + bounded(text).replace("\"", "\\\"") + '"';
  }
}
