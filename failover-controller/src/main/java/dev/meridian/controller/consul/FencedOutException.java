package dev.meridian.controller.consul;

/**
 * This controller may no longer write: it has lost leadership, or a table in KV carries a newer
 * leader epoch than its own. Nothing was written; the caller must stop acting as leader.
 */
public final class FencedOutException extends Exception {
  private static final long serialVersionUID = 1L;

  FencedOutException(String message) {
    super(message);
  }
}
