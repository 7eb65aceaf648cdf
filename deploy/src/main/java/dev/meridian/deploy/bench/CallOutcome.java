package dev.meridian.deploy.bench;

import dev.meridian.proto.inference.v1.FeatureSources;

/**
 * One finished call as the load generator saw it, with times on {@link System#nanoTime()}'s scale
 * so that they line up with when a test injected a fault.
 *
 * @param dueNanos when the call was due to be sent (open loop) or was sent (closed loop); latency
 *     counts from here
 * @param completedNanos when its answer or error arrived
 * @param status the gRPC status code name, {@code OK} for an answer
 * @param region the region that answered; empty for failures and default responses
 * @param replica the replica that answered; empty when none did
 * @param path how the gateway served it ({@code PRIMARY}, {@code RETRY}, {@code FALLBACK_MODEL},
 *     ...); empty for failures
 * @param attempts upstream attempts the gateway reported; 0 for failures
 * @param reason why the call left the primary path, as the gateway said; empty when it did not
 * @param features where the answer's features came from; the default instance (all zero) when the
 *     caller sent every tensor, or for failures
 */
public record CallOutcome(
    long dueNanos,
    long completedNanos,
    String status,
    String region,
    String replica,
    String path,
    int attempts,
    String reason,
    FeatureSources features) {

  /** The status name of an answered call. */
  public static final String OK = "OK";

  /** How long the caller waited, counted from when the call was due. */
  public long latencyNanos() {
    return completedNanos - dueNanos;
  }

  /** How many feature values the answer was labelled with, from every source together. */
  public int featureValues() {
    return features.getPrimary()
        + features.getReplica()
        + features.getCache()
        + features.getDefaults();
  }

  /** Whether the caller got an answer. */
  public boolean ok() {
    return OK.equals(status);
  }
}
