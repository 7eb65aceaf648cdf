package dev.meridian.controller.admin;

import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.DrainRegionResponse;
import dev.meridian.proto.admin.v1.ListRegionsResponse;
import dev.meridian.proto.admin.v1.UndrainRegionRequest;
import dev.meridian.proto.admin.v1.UndrainRegionResponse;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * What the admin service asks of the leading controller. Requests reaching it are authenticated,
 * allowed by the caller's role, audited and have their required fields; it answers the rest
 * (unknown region or model, unsafe drain, not leading) with a {@link StatusException}.
 * Implementations are thread-safe.
 */
public interface RegionControl {
  /** Drains a region (or, for a dry run, says what a drain would do). */
  DrainRegionResponse drain(DrainRegionRequest request, String who) throws StatusException;

  /** Returns a drained region to service. */
  UndrainRegionResponse undrain(UndrainRegionRequest request, String who) throws StatusException;

  /** The current routing table of {@code model}. */
  RoutingTable table(String model) throws StatusException;

  /** Every configured region with its drain and its route for each model. */
  ListRegionsResponse regions() throws StatusException;

  /**
   * Sends the current tables ({@code model}'s only, unless empty) to {@code observer}, then every
   * change until the call is cancelled or this controller stops leading.
   */
  void watch(String model, ServerCallStreamObserver<RoutingTable> observer) throws StatusException;
}
