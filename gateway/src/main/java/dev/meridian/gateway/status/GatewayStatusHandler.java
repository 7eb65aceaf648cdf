package dev.meridian.gateway.status;

import com.sun.net.httpserver.HttpExchange;
import dev.meridian.core.server.GetHandler;
import dev.meridian.gateway.outlier.OutlierDetector;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import dev.meridian.gateway.routing.ReplicaAvailability;
import dev.meridian.gateway.routing.ReplicaEndpoint;
import dev.meridian.gateway.routing.RoutingState;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.function.BooleanSupplier;

/**
 * Serves the gateway's status page at {@value #PATH} on its metrics port, read from the same state
 * its calls are routed by. Like {@code /metrics} it needs no credentials, so the metrics listener
 * belongs on an operators' network. Thread-safe.
 */
public final class GatewayStatusHandler extends GetHandler {
  /** Where the page is served. */
  public static final String PATH = "/status";

  private final String self;
  private final BooleanSupplier serving;
  private final RoutingState state;
  private final ReplicaAvailability availability;
  private final OutlierDetector outliers;
  private final RegionPolicyRegistry policies;
  private final InstantSource clock;

  /**
   * The page of the gateway {@code self} (its region and advertised address).
   *
   * @param serving whether its health says SERVING now
   */
  public GatewayStatusHandler(
      String self,
      BooleanSupplier serving,
      RoutingState state,
      ReplicaAvailability availability,
      OutlierDetector outliers,
      RegionPolicyRegistry policies,
      InstantSource clock) {
    super(PATH);
    this.self = self;
    this.serving = serving;
    this.state = state;
    this.availability = availability;
    this.outliers = outliers;
    this.policies = policies;
    this.clock = clock;
  }

  @Override
  protected Reply reply(HttpExchange exchange) {
    return Reply.of(
        200,
        "text/html; charset=utf-8",
        GatewayStatusPage.render(
            self,
            serving.getAsBoolean(),
            state.tableAge(),
            state.tables().stream()
                .sorted(Comparator.comparing(RoutingTable::getModelName))
                .toList(),
            state.everyReplica().stream()
                .sorted(
                    Comparator.comparing(ReplicaEndpoint::region)
                        .thenComparing(ReplicaEndpoint::id))
                .map(
                    replica ->
                        new GatewayStatusPage.ReplicaView(
                            replica, availability.grade(replica), outliers.ejection(replica.id())))
                .toList(),
            policies.breakers(),
            clock.instant()));
  }
}
