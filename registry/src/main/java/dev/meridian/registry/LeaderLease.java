package dev.meridian.registry;

import dev.meridian.core.Ticker;
import java.time.Duration;

/**
 * How long a leader may go on believing it leads. Consul keeps a session alive for its TTL after
 * the last renewal (in practice up to twice that), so a leader whose renewals have failed for half
 * the TTL can no longer prove it still holds the lock and must stop acting, well before another
 * candidate could take it. The clock starts when a renewal is <em>sent</em>, not when its answer
 * arrives, to stay on the safe side. Thread-safe.
 */
final class LeaderLease {
  private final long validForNanos;
  private final Ticker ticker;
  private volatile long renewalSentNanos;
  private volatile boolean held;

  LeaderLease(Duration sessionTtl, Ticker ticker) {
    this.validForNanos = sessionTtl.toNanos() / 2;
    this.ticker = ticker;
  }

  /** Records a successful renewal (or creation) of the session, sent at {@code sentNanos}. */
  void renewed(long sentNanos) {
    renewalSentNanos = sentNanos;
    held = true;
  }

  /** Gives the lease up. */
  void drop() {
    held = false;
  }

  /** Whether leadership can still be proven now. */
  boolean isValid() {
    return held && ticker.nanoTime() - renewalSentNanos < validForNanos;
  }
}
