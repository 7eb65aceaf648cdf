package dev.meridian.core;

/**
 * Caller-supplied text (model names, tensor names, versions, request ids, reasons) as a status
 * description or a log line may echo it: at most {@link #MAX_ECHOED} characters, then {@code …(N
 * chars)} saying how long it was, with backslashes doubled and control characters written as
 * escapes such as {@code \n} so that the echo stays on one line and reads unambiguously. A
 * description that repeats a 10 KB name would not fit in the trailers a caller's gRPC library
 * accepts (8 KB by default), and the caller would see a transport error instead of the answer.
 */
public final class CallerText {
  /** The most characters of caller text echoed. */
  public static final int MAX_ECHOED = 64;

  private CallerText() {}

  /** {@code text}, bounded and with control characters escaped; for descriptions. */
  public static String bounded(String text) {
    return bounded(text, MAX_ECHOED);
  }

  /** {@code text}, its first {@code max} characters at most, with control characters escaped. */
  static String bounded(String text, int max) {
    int end = text.length() <= max ? text.length() : cut(text, max);
    StringBuilder out = new StringBuilder(end + 16);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (end < text.length()) {
      out.append("…(").append(text.length()).append(" chars)");
    }
    return out.toString();
  }

  /** {@code text} bounded and in single quotes, as descriptions name a model or tensor. */
  public static String quoted(String text) {
    return "'" + bounded(text) + "'";
  }

  /** Where to cut {@code text}, never between the two halves of a surrogate pair. */
  private static int cut(String text, int max) {
    return Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
  }
}
