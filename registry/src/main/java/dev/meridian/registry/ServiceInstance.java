package dev.meridian.registry;

import java.util.List;
import java.util.Map;

/**
 * One registered instance of a service, as Consul's health endpoint reports it.
 *
 * @param id the instance's service ID
 * @param service the service name
 * @param address the address to call it on (the node's when the service has none)
 * @param port the port to call it on
 * @param tags its tags
 * @param meta its metadata
 * @param health the worst of its checks, node checks included
 */
public record ServiceInstance(
    String id,
    String service,
    String address,
    int port,
    List<String> tags,
    Map<String, String> meta,
    HealthState health) {

  /** Copies the collections. */
  public ServiceInstance {
    tags = List.copyOf(tags);
    meta = Map.copyOf(meta);
  }

  /** Whether every check on it passes. */
  public boolean passing() {
    return health == HealthState.PASSING;
  }
}
