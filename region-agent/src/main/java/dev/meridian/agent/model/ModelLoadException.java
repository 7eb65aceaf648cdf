package dev.meridian.agent.model;

/** A model file that cannot be read or does not describe a valid model; the message names why. */
public final class ModelLoadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message names the file and the offending key. */
  public ModelLoadException(String message) {
    super(message);
  }

  /** Creates an exception with the underlying cause. */
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
