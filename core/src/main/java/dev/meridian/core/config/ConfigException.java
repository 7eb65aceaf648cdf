package dev.meridian.core.config;

/**
 * A configuration value that is missing, malformed or out of range. The message names the file and
 * the offending key, for example {@code agent.yaml: replicas: -1 (expected: >= 1)}.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the key. */
  public ConfigException(String message) {
    super(message);
  }

  /** Creates an exception with a message that names the key, and its cause. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
