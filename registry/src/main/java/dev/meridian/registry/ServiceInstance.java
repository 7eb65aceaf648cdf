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
 * @param passing whether every check on it (node checks included) passes
 */
public record ServiceInstance(
    String id,
    String service,
    String address,
    int port,
    List<String> tags,
    Map<String, String> meta,
    boolean passing) {

  /** Copies the collections. */
  public ServiceInstance {
    tags = List.copyOf(tags);
    meta = Map.copyOf(meta);
  }
}
