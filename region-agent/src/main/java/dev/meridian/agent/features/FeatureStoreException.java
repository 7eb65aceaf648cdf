package dev.meridian.agent.features;

/** A feature store could not answer a read: unreachable, refusing, or too slow. */
public final class FeatureStoreException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}, caused by {@code cause} (may be null). */
  public FeatureStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
