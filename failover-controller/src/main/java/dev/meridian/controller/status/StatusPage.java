package dev.meridian.controller.status;

import dev.meridian.proto.admin.v1.ListRegionsResponse;
import dev.meridian.proto.admin.v1.ModelRoute;
import dev.meridian.proto.admin.v1.RegionStatus;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The controller's status page as HTML: whether it leads (and who does), the regions with their
 * drains, and every model's routing table with each region's weight, state, healthy replicas and
 * reason, the table's version, leader epoch and age. It reloads itself every {@value
 * #REFRESH_SECONDS} s. Every value is escaped: drain reasons are operators' free text.
 */
final class StatusPage {
  static final int REFRESH_SECONDS = 5;

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
    StringBuilder html =
        new StringBuilder(
            """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="refresh" content="%d">
            <title>Meridian status</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
            table{border-collapse:collapse;margin:.5em 0 1.5em}
            td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
            .ACTIVE{background:#e6f4e6}.DEGRADED{background:#fff4d6}
            .DRAINING,.DRAINED{background:#e6ecf7}.DOWN{background:#f8dede}
            </style></head><body>
            """
                .formatted(REFRESH_SECONDS));
    html.append("<h1>Meridian</h1>\n<p id=\"controller\">Controller ")
        .append(escape(self))
        .append(leading ? ": <b>leader</b>" : ": standby")
        .append(leading ? "" : ", the leader is " + escape(leader.orElse("unknown")))
        .append(". Reloads every ")
        .append(REFRESH_SECONDS)
        .append(" s.</p>\n");
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
    for (RoutingTable table : tables) {
      html.append(table(table, now));
    }
    return html.append("</body></html>\n").toString();
  }

  private static String table(RoutingTable table, Instant now) {
    StringBuilder html =
        new StringBuilder("<h2>Model ")
            .append(escape(table.getModelName()))
            .append(table.getPanic() ? " <b>PANIC</b>" : "")
            .append("</h2>\n<p>version ")
            .append(table.getVersion())
            .append(", leader epoch ")
            .append(table.getLeaderEpoch())
            .append(", computed ")
            .append(String.format("%.1f", TableAge.seconds(table, now)))
            .append(" s ago by ")
            .append(escape(table.getComputedBy()))
            .append("</p>\n<table class=\"routes\"><tr><th>region</th><th>weight</th>")
            .append("<th>state</th><th>healthy replicas</th><th>reason</th></tr>\n");
    for (RegionRoute route : table.getRegionsList()) {
      String state = route.getState().name().replace("REGION_STATE_", "");
      html.append("<tr class=\"")
          .append(state)
          .append("\"><td>")
          .append(escape(route.getRegion()))
          .append("</td><td>")
          .append(Integer.toUnsignedLong(route.getWeight()))
          .append("</td><td>")
          .append(state)
          .append("</td><td>")
          .append(route.getHealthyReplicas())
          .append('/')
          .append(route.getTotalReplicas())
          .append("</td><td>")
          .append(escape(route.getReason()))
          .append("</td></tr>\n");
    }
    return html.append("</table>\n").toString();
  }

  /** {@code text} safe inside HTML text and attribute values. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
