package dev.meridian.registry;

/** Consul refused the request (bad request, ACL denied, too large); retrying will not help. */
public final class RegistryRejectedException extends RegistryException {
  private static final long serialVersionUID = 1L;

  RegistryRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
