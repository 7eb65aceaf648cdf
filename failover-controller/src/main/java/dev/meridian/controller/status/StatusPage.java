package dev.meridian.controller.status;

import static dev.meridian.core.status.StatusHtml.escape;

import dev.meridian.core.status.Age;
import dev.meridian.core.status.StatusHtml;
import dev.meridian.proto.admin.v1.BreakerStatus;
import dev.meridian.proto.admin.v1.GatewayStatus;
import dev.meridian.proto.admin.v1.ListRegionsResponse;
import dev.meridian.proto.admin.v1.ModelRoute;
import dev.meridian.proto.admin.v1.RegionStatus;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The controller's status page as HTML: whether it leads (and who does); on the leader the regions
 * with their drains, the reporting gateways with their breakers, and every model's routing table
 * with each region's weight, state, healthy replicas and reason, the table's version, leader epoch
 * and age, in the frame {@link StatusHtml} gives every status page.
 */
final class StatusPage {
  private StatusPage() {}

  /**
   * The page of a controller.
   *
   * @param self this controller's admin address
   * @param leading whether it leads
   * @param leader the leader's admin address, if known
   * @param regions the regions as this controller last saw them
   * @param tables every model's table as last written
   * @param now the time the page is rendered, for the tables' age
   */
  static String render(
      String self,
      boolean leading,
      Optional<String> leader,
      ListRegionsResponse regions,
      List<RoutingTable> tables,
      Instant now) {
    StringBuilder html = StatusHtml.begin("Meridian status");
    html.append("<h1>Meridian</h1>\n<p id=\"controller\">Controller ")
        .append(escape(self))
        .append(leading ? ": <b>leader</b>" : ": standby")
        .append(leading ? "" : ", the leader is " + escape(leader.orElse("unknown")))
        .append(". Reloads every ")
        .append(StatusHtml.REFRESH_SECONDS)
        .append(" s.</p>\n");
    if (!leading) {
      html.append("<p id=\"standby\">A standby keeps no view of regions, gateways or tables:")
          .append(" the leader's status page has them.</p>\n");
      return StatusHtml.end(html);
    }
    html.append("<h2>Regions</h2>\n<table id=\"regions\"><tr><th>region</th><th>drain</th>")
        .append("<th>models</th></tr>\n");
    for (RegionStatus region : regions.getRegionsList()) {
      html.append("<tr class=\"")
          .append(region.getDrained() ? "DRAINED" : "ACTIVE")
          .append("\"><td>")
          .append(escape(region.getRegion()))
          .append("</td><td>")
          .append(region.getDrained() ? "DRAINED: " + escape(region.getDrainReason()) : "none")
          .append("</td><td>")
          .append(
              escape(
                  String.join(
                      ", ",
                      region.getModelsList().stream().map(ModelRoute::getModelName).toList())))
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
    gateways(html, regions.getGatewaysList(), now);
    for (RoutingTable table : tables) {
      StatusHtml.routingTable(html, table, now, List.of());
    }
    return StatusHtml.end(html);
  }

  /** Every reporting gateway: its report's age, its calls per second and each of its breakers. */
  private static void gateways(StringBuilder html, List<GatewayStatus> gateways, Instant now) {
    html.append("<h2>Gateways</h2>\n<table id=\"gateways\"><tr><th>gateway</th>")
        .append("<th>reported</th><th>calls/s</th><th>model</th><th>region</th>")
        .append("<th>breaker</th></tr>\n");
    for (GatewayStatus gateway : gateways) {
      String head =
          "<td>"
              + escape(gateway.getGateway())
              + "</td><td>"
              + String.format("%.1f s ago", Age.seconds(gateway.getReportedAt(), now))
              + "</td><td>"
              + String.format("%.1f", gateway.getCallsPerSecond())
              + "</td>";
      if (gateway.getBreakersCount() == 0) {
        html.append("<tr>").append(head).append("<td colspan=\"3\">no calls yet</td></tr>\n");
      }
      for (BreakerStatus breaker : gateway.getBreakersList()) {
        html.append("<tr>")
            .append(head)
            .append("<td>")
            .append(escape(breaker.getModelName()))
            .append("</td><td>")
            .append(escape(breaker.getRegion()))
            .append("</td>");
        StatusHtml.cell(html, breaker.getState());
        html.append("</tr>\n");
      }
    }
    html.append("</table>\n");
  }
}
