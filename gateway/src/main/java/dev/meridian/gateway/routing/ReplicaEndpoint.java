package dev.meridian.gateway.routing;

import java.util.Set;

/**
 * A healthy replica the gateway may call.
 *
 * @param region its region
 * @param id its service ID in the registry
 * @param host the host to call it on
 * @param port the port to call it on
 * @param models the models it serves
 */
public record ReplicaEndpoint(String region, String id, String host, int port, Set<String> models) {
  /** Copies the model set. */
  public ReplicaEndpoint {
    models = Set.copyOf(models);
  }

  /** {@code host:port}, the key of its channel. */
  public String address() {
    return host + ":" + port;
  }
}
