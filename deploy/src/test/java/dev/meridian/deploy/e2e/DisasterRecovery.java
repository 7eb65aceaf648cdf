package dev.meridian.deploy.e2e;

import dev.meridian.core.routing.RoutingTableJson;
import dev.meridian.deploy.backup.ControlPlaneBackup;
import dev.meridian.deploy.topology.TopologyCertificates;
import dev.meridian.deploy.topology.TopologyPlan;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.ConsulConfig;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.MeridianLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The control plane's disaster recovery as an operator runs it against the topology: {@code
 * meridian backup} and {@code meridian restore} (in this process, through the command line) over
 * the topology's HTTPS Consul, and what each region's datacenter holds afterwards.
 */
final class DisasterRecovery implements AutoCloseable {
  private static final List<String> MODELS = List.of(DemoModels.MODEL, DemoModels.FALLBACK);

  private final TopologyPlan plan;
  private final MeridianCli cli;
  private final ConsulRegistry registry;

  DisasterRecovery(TopologyPlan plan) {
    this.plan = plan;
    String host = plan.consulHost(plan.homeRegion());
    int port = plan.consulPort(plan.homeRegion());
    Path authority = TopologyCertificates.authority(plan).toAbsolutePath();
    this.cli = new MeridianCli(plan);
    this.registry =
        new ConsulRegistry(
            ConsulConfig.builder()
                .host(host)
                .port(port)
                .https(true)
                .caFile(authority)
                .maxWait(Duration.ofSeconds(1))
                .build());
  }

  /**
   * Runs {@code meridian backup --out file} and reads the file back.
   *
   * @throws IllegalStateException with the command's output when it fails
   */
  ControlPlaneBackup backup(Path file) {
    cli.succeed("backup", "--out", file.toString());
    return ControlPlaneBackup.read(file);
  }

  /**
   * Runs {@code meridian restore --in file --force} (the controllers keep running through the
   * disaster, so a new leader may have written to the empty Consul already) and returns what it
   * printed.
   *
   * @throws IllegalStateException with the command's output when it fails
   */
  String restore(Path file) {
    return cli.succeed("restore", "--in", file.toString(), "--force");
  }

  /**
   * Whether every region's datacenter holds a serving table (not in panic, some region ACTIVE) of
   * each demo model, every one written by a leader with an epoch above {@code epoch}.
   */
  boolean everyTableServingAbove(long epoch) {
    for (String region : plan.regions()) {
      Map<String, RoutingTable> tables = tables(region);
      for (String model : MODELS) {
        RoutingTable table = tables.get(model);
        boolean serving =
            table != null
                && !table.getPanic()
                && table.getLeaderEpoch() > epoch
                && table.getRegionsList().stream()
                    .anyMatch(route -> route.getState() == RegionState.REGION_STATE_ACTIVE);
        if (!serving) {
          return false;
        }
      }
    }
    return true;
  }

  /** The epoch counter in the control datacenter; 0 when it has none. */
  long epochCounter() {
    return registry
        .kv()
        .get(MeridianLayout.EPOCH_KEY, plan.homeRegion(), 0)
        .value()
        .map(entry -> Long.parseLong(entry.value().trim()))
        .orElse(0L);
  }

  /** The version of {@code model}'s table in the gateway's datacenter; 0 when it has none. */
  long version(String model) {
    RoutingTable table = tables(plan.homeRegion()).get(model);
    return table == null ? 0 : table.getVersion();
  }

  /** The routing tables in {@code region}'s datacenter, by model. */
  private Map<String, RoutingTable> tables(String region) {
    Map<String, RoutingTable> tables = new TreeMap<>();
    for (KvEntry entry : registry.kv().list(MeridianLayout.ROUTING_PREFIX, region, 0).value()) {
      RoutingTable table = RoutingTableJson.decode(entry.value(), entry.key() + " in " + region);
      tables.put(table.getModelName(), table);
    }
    return tables;
  }

  @Override
  public void close() {
    registry.close();
  }
}
