package dev.meridian.controller;

import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open {@code WatchRoutingTables} streams. Confined to the routing thread, which is also what
 * keeps each stream's messages in order and never sent concurrently. Tables are small and change at
 * most once per evaluation, so a slow watcher is left to gRPC's buffering.
 */
final class TableSubscribers {
  /** Each stream with its model filter ("" for every model). */
  private final Map<ServerCallStreamObserver<RoutingTable>, String> streams = new LinkedHashMap<>();

  /** Adds a stream and sends it the current tables it asks for. */
  void add(
      String model,
      ServerCallStreamObserver<RoutingTable> stream,
      Collection<RoutingTable> current) {
    streams.put(stream, model);
    current.forEach(table -> send(stream, model, table));
  }

  /** Forgets a stream (it was cancelled). */
  void remove(ServerCallStreamObserver<RoutingTable> stream) {
    streams.remove(stream);
  }

  /** Sends a changed table to every stream that wants it. */
  void publish(RoutingTable table) {
    streams.entrySet().removeIf(entry -> entry.getKey().isCancelled());
    streams.forEach((stream, model) -> send(stream, model, table));
  }

  /** Ends every stream with {@code status}. */
  void closeAll(Status status) {
    streams.keySet().stream()
        .filter(stream -> !stream.isCancelled())
        .forEach(stream -> stream.onError(status.asException()));
    streams.clear();
  }

  private static void send(
      ServerCallStreamObserver<RoutingTable> stream, String model, RoutingTable table) {
    if (model.isEmpty() || model.equals(table.getModelName())) {
      stream.onNext(table);
    }
  }
}
