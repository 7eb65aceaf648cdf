package dev.meridian.devconsul;

import java.util.Locale;

/** What happens to the keys a session holds when the session ends. */
enum SessionBehavior {
  RELEASE,
  DELETE;

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses Consul's spelling; an empty value means the default, {@code release}.
   *
   * @throws ApiException 500 {@code Invalid Behavior setting '<s>'}, as Consul's server answers
   */
  static SessionBehavior parse(String text) {
    if (text == null || text.isEmpty()) {
      return RELEASE;
    }
    for (SessionBehavior behavior : values()) {
      if (behavior.wire().equals(text)) {
        return behavior;
      }
    }
    throw ApiException.serverError("Invalid Behavior setting '" + text + "'");
  }
}
