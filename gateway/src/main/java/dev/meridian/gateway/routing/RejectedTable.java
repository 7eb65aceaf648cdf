package dev.meridian.gateway.routing;

import dev.meridian.proto.routing.v1.RoutingTable;

/**
 * A routing table refused because the gateway already holds a newer one of its model.
 *
 * @param held the table kept
 * @param got the older table refused
 */
public record RejectedTable(RoutingTable held, RoutingTable got) {}
