package dev.meridian.deploy.e2e;

import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.deploy.topology.net.LabPlacement;
import dev.meridian.deploy.topology.net.NetworkLab;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The tests' topology with every host in a network namespace of its own ({@link LabPlacement}): the
 * gateway, the controllers, each region, and each region's Consul datacenter, joined by a {@link
 * NetworkLab}'s bridge. Each namespace has its own ports, so the demo's port numbers serve. Without
 * root, {@code ip} or {@code iptables} the tests are skipped with the reason, except in CI, where
 * they fail. The lab is removed after the topology stops, also when starting failed.
 */
public final class IsolatedTopologyExtension extends TopologyExtension {
  private static final String PREFIX = "mrde2e";
  private static final int BASE_PORT = 8500;

  @Override
  Running start(Path directory) throws IOException, InterruptedException {
    NetworkLab.Availability availability = NetworkLab.availability();
    if (!availability.available() && !NetworkLab.requiredHere()) {
      Assumptions.abort("network namespaces unavailable: " + availability.reason());
    }
    NetworkLab lab = LabPlacement.labFor(PREFIX, REGIONS);
    LabPlacement placement = new LabPlacement(lab);
    LocalTopology topology;
    try {
      topology = LocalTopology.start(plan(directory, BASE_PORT, placement, Optional.empty()));
    } catch (IOException | InterruptedException | RuntimeException e) {
      lab.close();
      throw e;
    }
    return new Running(topology, lab::close, Optional.empty());
  }
}
