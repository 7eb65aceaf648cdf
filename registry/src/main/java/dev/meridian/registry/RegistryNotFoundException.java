package dev.meridian.registry;

/** The service, check or session named in a request does not exist in Consul. */
public final class RegistryNotFoundException extends RegistryException {
  private static final long serialVersionUID = 1L;

  RegistryNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
