package dev.meridian.gateway.call;

import io.grpc.Status;

/**
 * Why one attempt of a call produced no answer. {@link #retryable()} failures say "this region
 * cannot answer now" and send the next attempt elsewhere; the others end the call's primary path.
 */
final class AttemptFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final boolean retryable;
  private final boolean answeredByModel;
  private final boolean neverReachedServer;

  private AttemptFailure(
      Status status,
      String message,
      boolean retryable,
      boolean answeredByModel,
      boolean neverReachedServer) {
    super(message, null, false, false);
    this.status = status;
    this.retryable = retryable;
    this.answeredByModel = answeredByModel;
    this.neverReachedServer = neverReachedServer;
  }

  /** A region could not answer; another region may. */
  static AttemptFailure retryable(Status status, String where) {
    return new AttemptFailure(status, where + ": " + describe(status), true, false, false);
  }

  /**
   * The call never reached a server (connection refused, stream refused): it may go elsewhere at
   * once, free of the retry budget.
   */
  static AttemptFailure neverReached(Status status, String where) {
    return new AttemptFailure(
        status, where + ": never reached the server: " + describe(status), true, false, true);
  }

  /** The call cannot go on in any region (no region left, budget or deadline spent). */
  static AttemptFailure exhausted(Status status, String why) {
    return new AttemptFailure(status, why, false, false, false);
  }

  /** A replica answered with an error that every region would give (bad input, unknown model). */
  static AttemptFailure answered(Status status) {
    return new AttemptFailure(status, describe(status), false, true, false);
  }

  /** Whether the failed call never reached a server. */
  boolean neverReachedServer() {
    return neverReachedServer;
  }

  /** The status to give the caller if nothing better can be done. */
  Status status() {
    return status;
  }

  /** Whether another region may be tried. */
  boolean retryable() {
    return retryable;
  }

  /** Whether a model answered with this error, which then goes back to the caller as it is. */
  boolean answeredByModel() {
    return answeredByModel;
  }

  static String describe(Status status) {
    return status.getDescription() == null
        ? status.getCode().toString()
        : status.getCode() + " " + status.getDescription();
  }
}
