package dev.meridian.gateway.call;

import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Unwraps the exceptions futures wrap around an attempt's failure. */
final class Failures {
  private Failures() {}

  /** The {@link AttemptFailure} behind {@code error}, or one made from its gRPC status. */
  static AttemptFailure unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof AttemptFailure failure) {
      return failure;
    }
    return AttemptFailure.exhausted(Status.fromThrowable(cause), String.valueOf(cause));
  }
}
