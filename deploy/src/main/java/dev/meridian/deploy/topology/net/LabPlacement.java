package dev.meridian.deploy.topology.net;

import dev.meridian.deploy.topology.Placement;
import java.util.List;

/**
 * Places each host of a topology in a network namespace of its own, with an address of its own, all
 * joined by a {@link NetworkLab}'s bridge: the gateway, the controllers, each region's agent and
 * replicas, and each region's Consul datacenter.
 */
public final class LabPlacement implements Placement {
  private final NetworkLab lab;

  /** Places hosts on {@code lab}, which must have a host named after each of {@link #hosts}. */
  public LabPlacement(NetworkLab lab) {
    this.lab = lab;
  }

  /** Creates a lab with a host for every host of a topology of {@code regions}. */
  public static NetworkLab labFor(String prefix, List<String> regions) {
    return NetworkLab.create(prefix, Placement.hosts(regions));
  }

  @Override
  public String address(String host) {
    return lab.host(host).ip();
  }

  @Override
  public List<String> launch(String host, List<String> command) {
    return lab.host(host).command(command);
  }

  @Override
  public boolean consulPerRegion() {
    return true;
  }

  /** The lab, for faults between its hosts. */
  public NetworkLab lab() {
    return lab;
  }
}
