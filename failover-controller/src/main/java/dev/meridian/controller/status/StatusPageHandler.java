package dev.meridian.controller.status;

import com.sun.net.httpserver.HttpExchange;
import dev.meridian.controller.admin.RegionControl;
import dev.meridian.controller.consul.Leadership;
import dev.meridian.core.server.GetHandler;
import dev.meridian.proto.admin.v1.ListRegionsResponse;
import dev.meridian.proto.admin.v1.ModelRoute;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.StatusException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Serves the {@link StatusPage} at {@value #PATH} on the controller's metrics port, from the same
 * views as the admin RPC's {@code ListRegions} and {@code GetRoutingTable}. Like {@code /metrics}
 * it needs no credentials, so the metrics listener belongs on an operators' network. A standby's
 * page names the leader. Thread-safe.
 */
public final class StatusPageHandler extends GetHandler {
  /** Where the page is served. */
  public static final String PATH = "/status";

  private final String self;
  private final Leadership leadership;
  private final RegionControl control;
  private final InstantSource clock;

  /**
   * The page of the controller at admin address {@code self}.
   *
   * @param control the regions and tables, as the admin RPC reads them
   */
  public StatusPageHandler(
      String self, Leadership leadership, RegionControl control, InstantSource clock) {
    super(PATH);
    this.self = self;
    this.leadership = leadership;
    this.control = control;
    this.clock = clock;
  }

  @Override
  protected Reply reply(HttpExchange exchange) {
    if (!leadership.isLeader()) {
      // Only the leader holds the current tables; a standby names it.
      return page(ListRegionsResponse.getDefaultInstance(), List.of());
    }
    try {
      ListRegionsResponse regions = control.regions();
      TreeSet<String> models = new TreeSet<>();
      regions
          .getRegionsList()
          .forEach(
              region ->
                  region.getModelsList().stream()
                      .map(ModelRoute::getModelName)
                      .forEach(models::add));
      List<RoutingTable> tables = new ArrayList<>();
      for (String model : models) {
        tables.add(control.table(model));
      }
      return page(regions, tables);
    } catch (StatusException e) {
      return Reply.text(
          503, "The controller cannot tell its state now: " + e.getStatus().getDescription());
    }
  }

  private Reply page(ListRegionsResponse regions, List<RoutingTable> tables) {
    return Reply.of(
        200,
        "text/html; charset=utf-8",
        StatusPage.render(
            self, leadership.isLeader(), leadership.leader(), regions, tables, clock.instant()));
  }
}
