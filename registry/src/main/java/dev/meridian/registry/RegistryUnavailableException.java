package dev.meridian.registry;

/** Consul could not be reached or could not answer now (no leader, 5xx, timeout); retryable. */
public final class RegistryUnavailableException extends RegistryException {
  private static final long serialVersionUID = 1L;

  RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
