package dev.meridian.gateway.routing;

import dev.meridian.registry.HealthState;
import dev.meridian.registry.ReplicaProtocol;
import java.util.Set;

/**
 * A replica the gateway may call.
 *
 * @param region its region
 * @param id its service ID in the registry
 * @param host the host to call it on
 * @param port the port to call it on
 * @param models the models it serves
 * @param health what its region agent last reported: passing, or warning (serving, but slow, at its
 *     limit or on its fallback model); critical replicas are never endpoints
 * @param protocol the inference protocol it is called through
 */
public record ReplicaEndpoint(
    String region,
    String id,
    String host,
    int port,
    Set<String> models,
    HealthState health,
    ReplicaProtocol protocol) {
  /** Copies the model set; a critical replica is refused. */
  public ReplicaEndpoint {
    models = Set.copyOf(models);
    if (!health.serves()) {
      throw new IllegalArgumentException("replica " + id + " is critical; it cannot be called");
    }
  }

  /** A replica called through Meridian's own protocol. */
  public ReplicaEndpoint(
      String region, String id, String host, int port, Set<String> models, HealthState health) {
    this(region, id, host, port, models, health, ReplicaProtocol.MERIDIAN);
  }

  /** A passing replica called through Meridian's own protocol. */
  public ReplicaEndpoint(String region, String id, String host, int port, Set<String> models) {
    this(region, id, host, port, models, HealthState.PASSING);
  }

  /** {@code host:port}, the key of its channel. */
  public String address() {
    return host + ":" + port;
  }

  /**
   * Its share of its region's calls relative to its peers: a warning replica gets a reduced one.
   */
  public double weight() {
    return health.weightFactor();
  }
}
