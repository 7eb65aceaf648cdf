package dev.meridian.core.routing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.meridian.proto.routing.v1.RoutingTable;

/**
 * The form routing tables take in Consul KV and on the gateway's disk: the protobuf JSON mapping,
 * so that operators can read them with {@code consul kv get} and unknown fields from newer writers
 * are tolerated.
 */
public final class RoutingTableJson {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private RoutingTableJson() {}

  /** Writes a table as JSON. */
  public static String encode(RoutingTable table) {
    try {
      return PRINTER.print(table);
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields with unknown types fail to print, and RoutingTable has none.
      throw new IllegalStateException("cannot print routing table", e);
    }
  }

  /**
   * Reads a table from JSON.
   *
   * @param source where the text came from, named in the error
   * @throws IllegalArgumentException when the text is not a routing table
   */
  public static RoutingTable decode(String json, String source) {
    RoutingTable.Builder table = RoutingTable.newBuilder();
    try {
      PARSER.merge(json, table);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalArgumentException(source + ": not a routing table: " + e.getMessage(), e);
    }
    return table.build();
  }
}
