package dev.meridian.controller.admin;

import dev.meridian.controller.consul.Leadership;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.DrainRegionResponse;
import dev.meridian.proto.admin.v1.ListRegionsResponse;
import dev.meridian.proto.admin.v1.UndrainRegionRequest;
import dev.meridian.proto.admin.v1.UndrainRegionResponse;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A leading controller that answers every admin call with an empty response and records who drained
 * and undrained, for tests of what reaches it.
 */
final class StubControl implements RegionControl, Leadership {
  /** {@code drain by <who>} and {@code undrain by <who>}, in order. */
  final List<String> handled = new CopyOnWriteArrayList<>();

  @Override
  public DrainRegionResponse drain(DrainRegionRequest request, String who) {
    handled.add("drain by " + who);
    return DrainRegionResponse.getDefaultInstance();
  }

  @Override
  public UndrainRegionResponse undrain(UndrainRegionRequest request, String who) {
    handled.add("undrain by " + who);
    return UndrainRegionResponse.getDefaultInstance();
  }

  @Override
  public RoutingTable table(String model) {
    return RoutingTable.getDefaultInstance();
  }

  @Override
  public ListRegionsResponse regions() {
    return ListRegionsResponse.getDefaultInstance();
  }

  @Override
  public void watch(String model, ServerCallStreamObserver<RoutingTable> observer) {
    observer.onCompleted();
  }

  @Override
  public boolean isLeader() {
    return true;
  }

  @Override
  public boolean confirm() {
    return true;
  }

  @Override
  public Optional<String> leader() {
    return Optional.empty();
  }
}
