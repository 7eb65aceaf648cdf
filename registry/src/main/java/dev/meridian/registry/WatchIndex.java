package dev.meridian.registry;

/**
 * The index rules of Consul blocking queries: an index that goes backwards (a server's state was
 * reset or restored) resets the watch to 0 so the next read answers at once, and an index of 0 or
 * less from the server is treated as 1 so the next read blocks rather than spinning.
 */
final class WatchIndex {
  private WatchIndex() {}

  /** The index to send with the next read, given the one sent and the one returned. */
  static long next(long sent, long returned) {
    long normalized = Math.max(returned, 1);
    return normalized < sent ? 0 : normalized;
  }
}
