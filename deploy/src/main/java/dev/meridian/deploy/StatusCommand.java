package dev.meridian.deploy;

import dev.meridian.controller.admin.Role;
import dev.meridian.core.status.Age;
import dev.meridian.proto.admin.v1.GatewayStatus;
import dev.meridian.proto.admin.v1.GetRoutingTableRequest;
import dev.meridian.proto.admin.v1.ListRegionsRequest;
import dev.meridian.proto.admin.v1.ListRegionsResponse;
import dev.meridian.proto.admin.v1.ModelRoute;
import dev.meridian.proto.admin.v1.RegionStatus;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Prints what the leading failover controller routes on, through its admin RPC with a viewer's
 * token ({@code run/demo/tokens/viewer} by default): each region with its drain, each reporting
 * gateway with its breakers, then each model's routing table (version, leader epoch, its age and
 * the controller that computed it, panic) with every region's weight, state, healthy replicas and
 * reason.
 */
@Command(
    name = "status",
    description =
        "Print the regions, their drains and every model's routing table, from the failover"
            + " controller's admin RPC.")
final class StatusCommand implements Callable<Integer> {
  @Mixin AdminAccess access;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    return access.call(
        "status",
        Role.VIEWER,
        spec.commandLine().getErr(),
        admin -> {
          ListRegionsResponse listing = admin.listRegions(ListRegionsRequest.getDefaultInstance());
          List<RegionStatus> regions = listing.getRegionsList();
          out.print(regions(regions));
          out.print(gateways(listing.getGatewaysList(), Instant.now()));
          TreeSet<String> models = new TreeSet<>();
          regions.forEach(
              region -> region.getModelsList().forEach(model -> models.add(model.getModelName())));
          for (String model : models) {
            out.print(
                table(
                    admin.getRoutingTable(
                        GetRoutingTableRequest.newBuilder().setModelName(model).build()),
                    Instant.now()));
          }
        });
  }

  /** One line per region: serving, or drained and why. */
  static String regions(List<RegionStatus> regions) {
    StringBuilder text = new StringBuilder("regions\n");
    for (RegionStatus region : regions) {
      text.append(String.format("  %-12s ", region.getRegion()))
          .append(region.getDrained() ? "DRAINED: " + region.getDrainReason() : "in service")
          .append(
              region.getModelsList().stream()
                  .map(ModelRoute::getModelName)
                  .reduce((a, b) -> a + ", " + b)
                  .map(models -> " (models: " + models + ")")
                  .orElse(""))
          .append('\n');
    }
    return text.toString();
  }

  /**
   * One line per gateway that reports: its id, its report's age and calls per second, and every
   * breaker that is not closed (or that all are).
   */
  static String gateways(List<GatewayStatus> gateways, Instant now) {
    StringBuilder text = new StringBuilder("gateways\n");
    for (GatewayStatus gateway : gateways) {
      List<String> notClosed =
          gateway.getBreakersList().stream()
              .filter(breaker -> !breaker.getState().equals("CLOSED"))
              .map(
                  breaker ->
                      breaker.getModelName()
                          + " to "
                          + breaker.getRegion()
                          + " "
                          + breaker.getState())
              .toList();
      text.append(
              String.format(
                  "  %-28s reported %.1f s ago, %.1f calls/s, ",
                  gateway.getGateway(),
                  Age.seconds(gateway.getReportedAt(), now),
                  gateway.getCallsPerSecond()))
          .append(
              gateway.getBreakersCount() == 0
                  ? "no breakers yet"
                  : notClosed.isEmpty()
                      ? "breakers all closed"
                      : "breakers " + String.join(", ", notClosed))
          .append('\n');
    }
    if (gateways.isEmpty()) {
      text.append("  none reporting\n");
    }
    return text.toString();
  }

  /**
   * A table with what was computed when, then its regions as {@code meridian drain} prints them.
   */
  static String table(RoutingTable table, Instant now) {
    return DrainCommand.format(table)
        .replaceFirst(
            "\n",
            String.format(
                ", leader epoch %d, computed %.1f s ago by %s%n",
                table.getLeaderEpoch(),
                Age.seconds(table.getComputedAt(), now),
                table.getComputedBy().isEmpty() ? "?" : table.getComputedBy()));
  }
}
