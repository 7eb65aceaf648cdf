package dev.meridian.controller.consul;

import dev.meridian.registry.KvEntry;

/**
 * How a document the leader writes to KV (a routing table, the drains) is fenced: the leader epoch
 * and version it carries, and its JSON. A decode failure is an {@link IllegalArgumentException}
 * that names the key.
 *
 * @param <T> the document
 */
interface FencedDocument<T> {
  /** The epoch of the leader that wrote {@code document}. */
  long epoch(T document);

  /** Its version, which only grows in a datacenter. */
  long version(T document);

  /** {@code document} at {@code version}. */
  T withVersion(T document, long version);

  /** Its JSON. */
  String encode(T document);

  /**
   * Reads one entry.
   *
   * @throws IllegalArgumentException naming the key, when the entry is not such a document
   */
  T decode(KvEntry entry);
}
