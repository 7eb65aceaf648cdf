package dev.meridian.gateway.call;

import java.util.concurrent.CompletableFuture;

/**
 * Carries cancellation back up a chain of futures. Cancelling a future that {@code thenApply} or
 * {@code handle} derived does not cancel the one it came from, so a hedge's loser, cancelled at the
 * top, would keep its upstream RPC running; linking each stage to its source makes the cancel reach
 * the RPC.
 */
final class Cancellation {
  private Cancellation() {}

  /** Returns {@code derived}, made to cancel {@code source} when it is cancelled itself. */
  static <T> CompletableFuture<T> linked(
      CompletableFuture<T> derived, CompletableFuture<?> source) {
    derived.whenComplete(
        (value, error) -> {
          if (derived.isCancelled()) {
            source.cancel(true);
          }
        });
    return derived;
  }
}
