package dev.meridian.registry;

/**
 * A Consul operation that failed. The subclass says what a caller can do about it: {@link
 * RegistryUnavailableException} (try again later, keep serving from what you have), {@link
 * RegistryRejectedException} (the request is wrong; retrying will not help) or {@link
 * RegistryNotFoundException} (the thing named does not exist).
 */
public abstract class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
