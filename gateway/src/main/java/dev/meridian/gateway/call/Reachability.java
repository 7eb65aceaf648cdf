package dev.meridian.gateway.call;

import io.grpc.Status;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;

/**
 * Tells failures that never reached a server (gRFC A6's transparent-retry cases) from those that
 * may have: a connection refused or not made fails before any byte of the call is sent, so another
 * replica can be tried at once without the retry budget. (Streams refused by the server and calls
 * that lost to a GOAWAY before being sent are retried by gRPC itself.)
 */
final class Reachability {
  private Reachability() {}

  /** Whether the call that failed with {@code status} never reached a server. */
  static boolean neverReachedServer(Status status) {
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof UnresolvedAddressException) {
        return true;
      }
    }
    return false;
  }

  /** The gRPC status of an attempt's failure; a cancelled future is CANCELLED. */
  static Status statusOf(Throwable error) {
    Throwable cause = error;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CancellationException) {
      return Status.CANCELLED.withDescription("attempt cancelled").withCause(cause);
    }
    return Status.fromThrowable(cause);
  }
}
