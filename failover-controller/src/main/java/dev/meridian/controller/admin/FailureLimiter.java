package dev.meridian.controller.admin;

import dev.meridian.core.Ticker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits failed authentications per peer address with a token bucket: a peer may fail {@code burst}
 * times in a row, then once per {@code refill}. While its bucket is empty a peer is refused before
 * its credentials are looked at, so a flood of bad tokens costs no slow hash. Only peers that
 * failed recently have state: at most {@value #MAX_PEERS} (the least recently seen go first) and
 * none whose bucket has filled up again. Refusals while blocked are counted, to be reported once
 * per {@link #SUMMARY_INTERVAL}. Time comes from the injected {@link Ticker}. Thread-safe
 * (synchronized; every operation is a few arithmetic steps).
 */
final class FailureLimiter {
  /** The most peers remembered at once. */
  static final int MAX_PEERS = 10_000;

  /** How often a blocked peer's refusals are summarised at most. */
  static final Duration SUMMARY_INTERVAL = Duration.ofMinutes(1);

  private final int burst;
  private final long refillNanos;
  private final Ticker ticker;
  // Guarded by this; access order, so the eldest entry is the peer seen least recently.
  private final LinkedHashMap<String, Bucket> peers =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
          return size() > MAX_PEERS;
        }
      };

  /** One peer's bucket and its refusals not yet summarised. */
  private static final class Bucket {
    double tokens;
    long updatedAt;
    long unreported;
    long reportedAt;
    boolean reported;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updatedAt = now;
    }
  }

  FailureLimiter(int burst, Duration refill, Ticker ticker) {
    this.burst = burst;
    this.refillNanos = refill.toNanos();
    this.ticker = ticker;
  }

  /** Whether {@code peer} may try to authenticate now. */
  synchronized boolean allows(String peer) {
    Bucket bucket = refilled(peer);
    return bucket == null || bucket.tokens >= 1;
  }

  /** Takes one failure from {@code peer}'s bucket. */
  synchronized void failed(String peer) {
    Bucket bucket = refilled(peer);
    if (bucket == null) {
      bucket = new Bucket(burst, ticker.nanoTime());
      peers.put(peer, bucket);
    }
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  /**
   * Counts a refusal of blocked {@code peer}; returns the refusals to report now (this one
   * included), or 0 when the last report is less than {@link #SUMMARY_INTERVAL} old.
   */
  synchronized long refused(String peer) {
    Bucket bucket = peers.get(peer);
    if (bucket == null) {
      return 1;
    }
    bucket.unreported++;
    long now = ticker.nanoTime();
    if (bucket.reported && now - bucket.reportedAt < SUMMARY_INTERVAL.toNanos()) {
      return 0;
    }
    long count = bucket.unreported;
    bucket.unreported = 0;
    bucket.reported = true;
    bucket.reportedAt = now;
    return count;
  }

  /** The peer's bucket brought up to now, or null (and forgotten) when it is full again. */
  private Bucket refilled(String peer) {
    Bucket bucket = peers.get(peer);
    if (bucket == null) {
      return null;
    }
    long now = ticker.nanoTime();
    bucket.tokens =
        Math.min(burst, bucket.tokens + (double) (now - bucket.updatedAt) / refillNanos);
    bucket.updatedAt = now;
    if (bucket.tokens >= burst && bucket.unreported == 0) {
      peers.remove(peer);
      return null;
    }
    return bucket;
  }
}
