package dev.meridian.gateway.routing;

import dev.meridian.gateway.outlier.OutlierDetector;
import io.grpc.ConnectivityState;

/**
 * What this gateway knows of each replica beyond Consul's word, graded so that a call goes to the
 * best replica there is and to a doubtful one only when no better one exists anywhere. The primary
 * path and the fallback path grade replicas with the same view. Thread-safe, as its sources are.
 */
public final class ReplicaAvailability {
  /** How fit a replica is to take a call, best first. */
  public enum Grade {
    /** Connected, warmed up, not ejected. */
    READY,
    /** Not ejected, but not connected yet (connecting, or reconnecting after a lost connection). */
    UNPROVEN,
    /** Ejected, or its channel cannot connect: tried only when nothing better is left anywhere. */
    LAST_RESORT
  }

  private final OutlierDetector outliers;
  private final ChannelCache channels;
  private final ReplicaWarmUp warmUp;

  /** Creates the view over its three sources. */
  public ReplicaAvailability(
      OutlierDetector outliers, ChannelCache channels, ReplicaWarmUp warmUp) {
    this.outliers = outliers;
    this.channels = channels;
    this.warmUp = warmUp;
  }

  /** How fit {@code replica} is now. */
  public Grade grade(ReplicaEndpoint replica) {
    if (outliers.isEjected(replica.id())) {
      return Grade.LAST_RESORT;
    }
    ConnectivityState state = channels.state(replica);
    if (state == ConnectivityState.TRANSIENT_FAILURE || state == ConnectivityState.SHUTDOWN) {
      return Grade.LAST_RESORT;
    }
    return state == ConnectivityState.READY && warmUp.warmed(replica)
        ? Grade.READY
        : Grade.UNPROVEN;
  }
}
