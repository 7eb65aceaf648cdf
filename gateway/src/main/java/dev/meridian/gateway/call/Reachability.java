package dev.meridian.gateway.call;

import io.grpc.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Tells failures that never reached a server's handler (gRFC A6's transparent-retry cases) from
 * those that may have, and a connection lost under a call from an error the server sent: a
 * connection refused or not made fails before any byte of the call is sent; a stream the server
 * refused, one that met the server's GOAWAY as it was going away, and one still unsent or buffered
 * (waiting for a stream slot) when the GOAWAY came, was not processed. Another replica can then be
 * tried at once without the retry budget. The gateway's channels run without gRPC's own retry layer
 * (which retried these once, on the same channel), and grpc-java's Netty transport says which case
 * it was only in the status's description, which is matched here ("closed unsent stream", not
 * "closed sent stream": a sent stream may have been processed).
 */
final class Reachability {
  private static final List<String> UNPROCESSED =
      List.of(
          "Connection closed after GOAWAY",
          "REFUSED_STREAM",
          "GOAWAY closed unsent stream",
          "GOAWAY closed buffered stream");

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
    String description = status.getDescription();
    return description != null && UNPROCESSED.stream().anyMatch(description::contains);
  }

  /**
   * Whether the call that failed with {@code status} lost its connection, rather than being
   * answered with an error by the server: a status the server sent carries no local cause, while
   * grpc-java gives a connection that broke under a call its I/O error as the cause, under whatever
   * code (a write to a connection the peer has just closed is UNKNOWN "channel closed").
   */
  static boolean connectionFailed(Status status) {
    for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException) {
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
