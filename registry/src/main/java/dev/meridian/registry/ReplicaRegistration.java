package dev.meridian.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A service instance to register with the local Consul agent, with one TTL health check whose ID is
 * {@link #checkId()}.
 *
 * @param service the service name, e.g. {@code meridian-replica}
 * @param id the instance's unique ID
 * @param address the address callers reach it on
 * @param port the port callers reach it on
 * @param tags tags to filter on
 * @param meta metadata such as region, model, model version and capacity
 * @param ttl how long a check result holds before the check goes critical on its own
 * @param deregisterCriticalAfter how long the check may stay critical before Consul removes the
 *     instance (Consul applies at least one minute)
 */
public record ReplicaRegistration(
    String service,
    String id,
    String address,
    int port,
    List<String> tags,
    Map<String, String> meta,
    Duration ttl,
    Duration deregisterCriticalAfter) {

  /** Validates and copies the fields. */
  public ReplicaRegistration {
    ConsulNames.name("service", service);
    ConsulNames.name("service id", id);
    tags.forEach(tag -> ConsulNames.name("tag", tag));
    tags = List.copyOf(tags);
    meta = Map.copyOf(meta);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: >= 1s)");
    }
  }

  /** The ID Consul gives the TTL check, as {@code consul-api} registers it without one. */
  public String checkId() {
    return "service:" + id;
  }
}
