package dev.meridian.controller.consul;

import java.util.Set;

/**
 * The outcome of a fenced write to several datacenters.
 *
 * @param version the version written: the document's own, or higher in a datacenter that already
 *     held that version, so that versions only ever increase in each datacenter
 * @param failed the datacenters where it could not be written now (Consul unavailable, or lost
 *     every check-and-set race); the caller retries them
 */
public record WriteOutcome(long version, Set<String> failed) {
  /** Copies the set. */
  public WriteOutcome {
    failed = Set.copyOf(failed);
  }
}
