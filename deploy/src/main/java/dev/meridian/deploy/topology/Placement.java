package dev.meridian.deploy.topology;

import dev.meridian.core.config.ListenAddress;
import java.util.List;

/**
 * Where the roles of a local topology run: the address of each host the topology names ({@link
 * #GATEWAY}, {@link #CONTROL}, each region, and {@link #consul} of each region) and how a process
 * is started on it. On one machine every host is the loopback address and one dev Consul process
 * holds every datacenter; in network namespaces each host has an address of its own and each
 * region's datacenter runs in its own process, WAN-joined to the others.
 */
public interface Placement {
  /** The host of the gateway. */
  String GATEWAY = "gateway";

  /** The host of the failover controllers. */
  String CONTROL = "control";

  /** The host of {@code region}'s Consul datacenter. */
  static String consul(String region) {
    return "consul-" + region;
  }

  /** Every host a topology of {@code regions} places roles on. */
  static List<String> hosts(List<String> regions) {
    List<String> hosts = new java.util.ArrayList<>(List.of(GATEWAY, CONTROL));
    hosts.addAll(regions);
    regions.forEach(region -> hosts.add(consul(region)));
    return List.copyOf(hosts);
  }

  /** The address of {@code host}: a region's name, {@link #GATEWAY}, {@link #CONTROL}, ... */
  String address(String host);

  /** The command line that runs {@code command} on {@code host}. */
  List<String> launch(String host, List<String> command);

  /** Whether each region's Consul datacenter runs as a process of its own on its own host. */
  boolean consulPerRegion();

  /** Every role on this machine's loopback address, as the demo runs by default. */
  Placement ONE_MACHINE =
      new Placement() {
        @Override
        public String address(String host) {
          return ListenAddress.DEFAULT_HOST;
        }

        @Override
        public List<String> launch(String host, List<String> command) {
          return command;
        }

        @Override
        public boolean consulPerRegion() {
          return false;
        }
      };
}
