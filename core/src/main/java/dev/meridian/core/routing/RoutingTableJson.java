package dev.meridian.core.routing;

import dev.meridian.proto.routing.v1.RoutingTable;

/** The form routing tables take in Consul KV: the protobuf JSON mapping (see {@link ProtoJson}). */
public final class RoutingTableJson {
  private RoutingTableJson() {}

  /** Writes a table as JSON. */
  public static String encode(RoutingTable table) {
    return ProtoJson.encode(table);
  }

  /**
   * Reads a table from JSON.
   *
   * @param source where the text came from, named in the error
   * @throws IllegalArgumentException when the text is not a routing table
   */
  public static RoutingTable decode(String json, String source) {
    return ProtoJson.decode(json, RoutingTable.getDefaultInstance(), source);
  }
}
