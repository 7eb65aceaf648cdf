package dev.meridian.deploy;

import dev.meridian.controller.admin.Role;
import dev.meridian.core.status.StatusHtml;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.DrainRegionResponse;
import dev.meridian.proto.admin.v1.UndrainRegionRequest;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Drains a region (or undrains it) through the leading failover controller's admin RPC and prints
 * the resulting routing tables. The bearer token is found as {@link AdminAccess} says, the demo
 * operator's ({@code run/demo/tokens/operator}) by default.
 */
@Command(
    name = "drain",
    description = "Drain or undrain a region through the failover controller's admin RPC.")
final class DrainCommand implements Callable<Integer> {
  @Option(names = "--region", required = true, description = "The region to drain or undrain.")
  String region;

  @Option(names = "--reason", required = true, description = "Why, for the audit log and tables.")
  String reason;

  @Option(names = "--undrain", description = "Return the region to service instead.")
  boolean undrain;

  @Option(names = "--dry-run", description = "Show what the drain would do; change nothing.")
  boolean dryRun;

  @Option(
      names = "--force",
      description = "Drain even if a model would be left with no serving region.")
  boolean force;

  @Mixin AdminAccess access;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (undrain && (dryRun || force)) {
      err.println("drain: --dry-run and --force apply to a drain, not to --undrain");
      return MeridianCommand.EXIT_USAGE;
    }
    PrintWriter out = spec.commandLine().getOut();
    return access.call(
        "drain",
        Role.OPERATOR,
        err,
        admin -> {
          if (undrain) {
            List<RoutingTable> tables =
                admin
                    .undrainRegion(
                        UndrainRegionRequest.newBuilder()
                            .setRegion(region)
                            .setReason(reason)
                            .build())
                    .getTablesList();
            out.println("undrained " + region);
            tables.forEach(table -> out.print(format(table)));
          } else {
            out.print(
                format(
                    region,
                    admin.drainRegion(
                        DrainRegionRequest.newBuilder()
                            .setRegion(region)
                            .setReason(reason)
                            .setDryRun(dryRun)
                            .setForce(force)
                            .build())));
          }
        });
  }

  /**
   * A drain's outcome: what it did (or would do) to {@code region}, the tables, and the capacity
   * projection.
   */
  static String format(String region, DrainRegionResponse response) {
    StringBuilder text =
        new StringBuilder(
            (response.getDryRun() ? "dry run, nothing changed: draining " : "draining ")
                + region
                + "\n");
    response.getTablesList().forEach(table -> text.append(format(table)));
    if (response.hasCapacity()) {
      text.append(LoadProjectionFormat.format(response.getCapacity()));
    }
    return text.toString();
  }

  /** One table as operators read it: a header line, then one line per region. */
  static String format(RoutingTable table) {
    StringBuilder text =
        new StringBuilder()
            .append("model ")
            .append(table.getModelName())
            .append(" version ")
            .append(table.getVersion())
            .append(table.getPanic() ? " PANIC" : "")
            .append('\n');
    for (RegionRoute route : table.getRegionsList()) {
      text.append(
          String.format(
              "  %-12s weight %-6d %-9s %d/%d replicas  %s%n",
              route.getRegion(),
              Integer.toUnsignedLong(route.getWeight()),
              StatusHtml.state(route),
              route.getHealthyReplicas(),
              route.getTotalReplicas(),
              route.getReason()));
    }
    return text.toString();
  }
}
