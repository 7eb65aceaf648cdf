package dev.meridian.agent.launch;

/** A replica that could not start; the message says why, fit for a health check's output. */
public final class ReplicaStartException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message says why the replica did not start. */
  public ReplicaStartException(String message) {
    super(message);
  }

  /** Creates an exception with its cause. */
  public ReplicaStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
