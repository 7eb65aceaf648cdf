package dev.meridian.core.status;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The parts the controllers' and the gateways' status pages share: the page around the content,
 * which reloads itself every {@value #REFRESH_SECONDS} s and colours a cell by the state it names
 * (a region's, a breaker's, a replica's grade), a model's routing table, and escaping. Every value
 * written through it is escaped: reasons are operators' free text and model names callers' text.
 */
public final class StatusHtml {
  /** How often a page reloads itself, in seconds. */
  public static final int REFRESH_SECONDS = 5;

  private static final String HEAD =
      """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <meta http-equiv="refresh" content="%d">
      <title>%s</title>
      <style>
      body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
      table{border-collapse:collapse;margin:.5em 0 1.5em}
      td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
      .ACTIVE,.CLOSED,.READY{background:#e6f4e6}
      .DEGRADED,.HALF_OPEN,.UNPROVEN{background:#fff4d6}
      .DRAINING,.DRAINED{background:#e6ecf7}.DOWN,.OPEN,.LAST_RESORT{background:#f8dede}
      </style></head><body>
      """;

  private StatusHtml() {}

  /**
   * A column a page adds to its routing tables.
   *
   * @param heading the column's heading
   * @param cell a region's value, which also names the cell's colour class
   */
  public record Column(String heading, Function<RegionRoute, String> cell) {}

  /** A new page called {@code title}, with its head written and its body open. */
  public static StringBuilder begin(String title) {
    return new StringBuilder(HEAD.formatted(REFRESH_SECONDS, escape(title)));
  }

  /** The page in {@code html}, closed. */
  public static String end(StringBuilder html) {
    return html.append("</body></html>\n").toString();
  }

  /**
   * A region's state as the pages and the command line name it: {@code ACTIVE}, {@code DRAINED}...
   */
  public static String state(RegionRoute route) {
    return route.getState().name().replace("REGION_STATE_", "");
  }

  /**
   * Writes {@code table}: its model, version, leader epoch, age at {@code now} and author, then a
   * row per region with its weight, state, healthy replicas and reason, and {@code extra} columns.
   */
  public static void routingTable(
      StringBuilder html, RoutingTable table, Instant now, List<Column> extra) {
    html.append("<h2>Model ")
        .append(escape(table.getModelName()))
        .append(table.getPanic() ? " <b>PANIC</b>" : "")
        .append("</h2>\n<p>version ")
        .append(table.getVersion())
        .append(", leader epoch ")
        .append(table.getLeaderEpoch())
        .append(", computed ")
        .append(String.format("%.1f", Age.seconds(table.getComputedAt(), now)))
        .append(" s ago by ")
        .append(escape(table.getComputedBy()))
        .append("</p>\n<table class=\"routes\"><tr><th>region</th><th>weight</th>")
        .append("<th>state</th><th>healthy replicas</th><th>reason</th>");
    extra.forEach(column -> html.append("<th>").append(escape(column.heading())).append("</th>"));
    html.append("</tr>\n");
    for (RegionRoute route : table.getRegionsList()) {
      String state = state(route);
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
          .append("</td>");
      extra.forEach(column -> cell(html, column.cell().apply(route)));
      html.append("</tr>\n");
    }
    html.append("</table>\n");
  }

  /** Writes a cell holding {@code value}, coloured by the state it names. */
  public static void cell(StringBuilder html, String value) {
    String escaped = escape(value);
    html.append("<td class=\"").append(escaped).append("\">").append(escaped).append("</td>");
  }

  /** {@code text} safe inside HTML text and attribute values. */
  public static String escape(String text) {
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
