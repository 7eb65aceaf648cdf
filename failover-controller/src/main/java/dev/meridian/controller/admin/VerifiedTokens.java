package dev.meridian.controller.admin;

import dev.meridian.core.Ticker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tokens recently verified against one {@link Operators}, so that only an operator's first call
 * (and one per {@code ttl}) pays for the slow hash. Keyed by the token's SHA-256, never the token;
 * at most {@code capacity} entries, the least recently used going first. A reload of the operators
 * file starts a new cache, so a removed operator's token stops working at once. Thread-safe
 * (synchronized; lookups are short).
 */
final class VerifiedTokens {
  private final Ticker ticker;
  private final long ttlNanos;
  private final int capacity;
  // Guarded by this; access order, so the eldest entry is the least recently used.
  private final LinkedHashMap<ByteBuffer, Entry> entries;

  private record Entry(Operator operator, long verifiedAt) {}

  VerifiedTokens(Ticker ticker, Duration ttl, int capacity) {
    this.ticker = ticker;
    this.ttlNanos = ttl.toNanos();
    this.capacity = capacity;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Entry> eldest) {
            return size() > VerifiedTokens.this.capacity;
          }
        };
  }

  /** The operator {@code token} was verified for within the ttl. */
  synchronized Optional<Operator> get(String token) {
    ByteBuffer key = digest(token);
    Entry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (ticker.nanoTime() - entry.verifiedAt() >= ttlNanos) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(entry.operator());
  }

  /** Remembers that {@code token} is {@code operator}'s. */
  synchronized void put(String token, Operator operator) {
    entries.put(digest(token), new Entry(operator, ticker.nanoTime()));
  }

  private static ByteBuffer digest(String token) {
    try {
      return ByteBuffer.wrap(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
