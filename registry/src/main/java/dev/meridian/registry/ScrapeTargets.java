package dev.meridian.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every Meridian process's {@code /metrics} address as Consul lists it in each region's datacenter,
 * in the shape of Prometheus' HTTP service discovery: the gateways, controllers and agents ({@value
 * MeridianLayout#METRICS_SERVICE}, tagged with their role) and the replica processes ({@value
 * MeridianLayout#REPLICA_SERVICE}, at their {@value MeridianLayout#META_METRICS_PORT}; replicas in
 * an agent's own process have none and are scraped through the agent). Each target is labelled
 * {@code job="meridian-<role>"}, {@code region} (its datacenter) and {@code consul_id}.
 */
public final class ScrapeTargets {
  private ScrapeTargets() {}

  /**
   * One target of Prometheus' HTTP discovery.
   *
   * @param targets its {@code host:port}, alone
   * @param labels its labels
   */
  public record Group(List<String> targets, Map<String, String> labels) {}

  /**
   * Reads the targets of every region in {@code regions} now, instances in any health (a process
   * that does not answer shows as {@code up == 0}, which is what an operator needs to see).
   *
   * @throws RegistryException when a datacenter cannot be read
   */
  public static List<Group> read(ConsulServices services, List<String> regions) {
    List<Group> groups = new ArrayList<>();
    for (String region : regions) {
      for (ServiceInstance process :
          services.all(MeridianLayout.METRICS_SERVICE, region, 0).value()) {
        String role = process.meta().getOrDefault("role", "unknown");
        groups.add(group(process, process.port(), role, region));
      }
      for (ServiceInstance replica :
          services.all(MeridianLayout.REPLICA_SERVICE, region, 0).value()) {
        String port = replica.meta().getOrDefault(MeridianLayout.META_METRICS_PORT, "");
        if (port.matches("[0-9]{1,5}")) {
          groups.add(group(replica, Integer.parseInt(port), "replica", region));
        }
      }
    }
    return groups;
  }

  private static Group group(ServiceInstance instance, int port, String role, String region) {
    String host =
        instance.address().contains(":") ? "[" + instance.address() + "]" : instance.address();
    Map<String, String> labels = new TreeMap<>();
    labels.put("job", "meridian-" + role);
    labels.put("region", region);
    labels.put("consul_id", instance.id());
    return new Group(List.of(host + ":" + port), labels);
  }
}
