package dev.meridian.gateway.status;

import static dev.meridian.core.status.StatusHtml.escape;

import dev.meridian.core.status.StatusHtml;
import dev.meridian.gateway.outlier.OutlierDetector;
import dev.meridian.gateway.policy.RegionPolicyRegistry.Breaker;
import dev.meridian.gateway.routing.ReplicaAvailability.Grade;
import dev.meridian.gateway.routing.ReplicaEndpoint;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A gateway's status page as HTML: what this one gateway sees and does, which the controller cannot
 * know. Whether it serves and how old its routing view is; every model's table as it routes by it,
 * with the state of its own breaker for each region; and every replica it may call with the
 * registry's health, its grade here (connected and warmed, or not yet, or last resort) and whether
 * and why its outlier detection ejected it. In the frame {@link StatusHtml} gives every status
 * page.
 */
final class GatewayStatusPage {
  private GatewayStatusPage() {}

  /**
   * One replica as this gateway sees it.
   *
   * @param endpoint the replica, with its region, address, models and registry health
   * @param grade how fit it is to take a call here
   * @param ejection why it is ejected, if it is
   */
  record ReplicaView(
      ReplicaEndpoint endpoint, Grade grade, Optional<OutlierDetector.Cause> ejection) {}

  /**
   * The page of a gateway.
   *
   * @param self the gateway's region and advertised address, as the heading names it
   * @param serving whether its health says SERVING
   * @param tableAge how long since its routing view last changed, if it has one
   * @param tables every model's table it routes by
   * @param replicas every replica it knows
   * @param breakers its breakers
   * @param now the time the page is rendered, for the tables' age
   */
  static String render(
      String self,
      boolean serving,
      Optional<Duration> tableAge,
      List<RoutingTable> tables,
      List<ReplicaView> replicas,
      List<Breaker> breakers,
      Instant now) {
    StringBuilder html = StatusHtml.begin("Meridian gateway status");
    html.append("<h1>Meridian gateway</h1>\n<p id=\"gateway\">Gateway ")
        .append(escape(self))
        .append(serving ? ": <b>SERVING</b>" : ": NOT_SERVING")
        .append(
            tableAge
                .map(age -> String.format(", routing view %.1f s old", age.toMillis() / 1000.0))
                .orElse(", no routing view yet"))
        .append(". Reloads every ")
        .append(StatusHtml.REFRESH_SECONDS)
        .append(" s.</p>\n");
    Map<String, Map<String, String>> breakerStates = Breaker.statesByModel(breakers);
    for (RoutingTable table : tables) {
      StatusHtml.routingTable(
          html,
          table,
          now,
          List.of(
              new StatusHtml.Column(
                  "breaker here",
                  route ->
                      breakerStates
                          .getOrDefault(table.getModelName(), Map.of())
                          .getOrDefault(route.getRegion(), "no calls yet"))));
    }
    html.append("<h2>Replicas</h2>\n<table id=\"replicas\"><tr><th>region</th><th>replica</th>")
        .append("<th>address</th><th>models</th><th>registry health</th><th>grade here</th>")
        .append("<th>ejected</th></tr>\n");
    for (ReplicaView replica : replicas) {
      ReplicaEndpoint endpoint = replica.endpoint();
      html.append("<tr><td>")
          .append(escape(endpoint.region()))
          .append("</td><td>")
          .append(escape(endpoint.id()))
          .append("</td><td>")
          .append(escape(endpoint.address()))
          .append("</td><td>")
          .append(escape(String.join(", ", endpoint.models().stream().sorted().toList())))
          .append("</td><td>")
          .append(endpoint.health().name())
          .append("</td>");
      StatusHtml.cell(html, replica.grade().name());
      html.append("<td>")
          .append(replica.ejection().map(cause -> "ejected: " + cause.name()).orElse("no"))
          .append("</td></tr>\n");
    }
    html.append("</table>\n<h2>Breakers</h2>\n<table id=\"breakers\"><tr><th>region</th>")
        .append("<th>model</th><th>state</th></tr>\n");
    for (Breaker breaker : breakers) {
      html.append("<tr><td>")
          .append(escape(breaker.region()))
          .append("</td><td>")
          .append(escape(breaker.model()))
          .append("</td>");
      StatusHtml.cell(html, breaker.state().name());
      html.append("</tr>\n");
    }
    html.append("</table>\n");
    return StatusHtml.end(html);
  }
}
