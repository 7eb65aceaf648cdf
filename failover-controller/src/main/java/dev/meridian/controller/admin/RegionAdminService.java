package dev.meridian.controller.admin;

import dev.meridian.controller.consul.Leadership;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.DrainRegionResponse;
import dev.meridian.proto.admin.v1.GetRoutingTableRequest;
import dev.meridian.proto.admin.v1.ListRegionsRequest;
import dev.meridian.proto.admin.v1.ListRegionsResponse;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import dev.meridian.proto.admin.v1.UndrainRegionRequest;
import dev.meridian.proto.admin.v1.UndrainRegionResponse;
import dev.meridian.proto.admin.v1.WatchRoutingTablesRequest;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code RegionAdmin} service: checks required fields (INVALID_ARGUMENT) and leadership (a
 * standby answers UNAVAILABLE, names the leader and gives its address in the {@value
 * #LEADER_TRAILER_NAME} trailer, so a client can follow it), then hands the call to {@link
 * RegionControl}. Authentication, auditing and the role check happen in interceptors before it
 * ({@link SecuredAdminService}). Thread-safe (stateless).
 */
public final class RegionAdminService extends RegionAdminGrpc.RegionAdminImplBase {
  private static final Logger logger = LoggerFactory.getLogger(RegionAdminService.class);

  /** The trailer in which a standby gives the leader's admin address. */
  public static final String LEADER_TRAILER_NAME = "meridian-leader";

  private static final Metadata.Key<String> LEADER_TRAILER =
      Metadata.Key.of(LEADER_TRAILER_NAME, Metadata.ASCII_STRING_MARSHALLER);

  private final RegionControl control;
  private final Leadership leadership;

  /** Serves {@code control} while {@code leadership} says this controller leads. */
  public RegionAdminService(RegionControl control, Leadership leadership) {
    this.control = control;
    this.leadership = leadership;
  }

  /** A call's work, which may fail with a status. */
  @FunctionalInterface
  private interface Work<T> {
    T run() throws StatusException;
  }

  @Override
  public void drainRegion(
      DrainRegionRequest request, StreamObserver<DrainRegionResponse> responses) {
    unary(
        responses,
        () -> {
          required("region", request.getRegion());
          required("reason", request.getReason());
          requireLeader();
          return control.drain(request, Caller.currentIdentity());
        });
  }

  @Override
  public void undrainRegion(
      UndrainRegionRequest request, StreamObserver<UndrainRegionResponse> responses) {
    unary(
        responses,
        () -> {
          required("region", request.getRegion());
          required("reason", request.getReason());
          requireLeader();
          return control.undrain(request, Caller.currentIdentity());
        });
  }

  @Override
  public void getRoutingTable(
      GetRoutingTableRequest request, StreamObserver<RoutingTable> responses) {
    unary(
        responses,
        () -> {
          required("model_name", request.getModelName());
          requireLeader();
          return control.table(request.getModelName());
        });
  }

  @Override
  public void listRegions(
      ListRegionsRequest request, StreamObserver<ListRegionsResponse> responses) {
    unary(
        responses,
        () -> {
          requireLeader();
          return control.regions();
        });
  }

  @Override
  public void watchRoutingTables(
      WatchRoutingTablesRequest request, StreamObserver<RoutingTable> responses) {
    try {
      requireLeader();
      control.watch(request.getModelName(), (ServerCallStreamObserver<RoutingTable>) responses);
    } catch (StatusException e) {
      responses.onError(e);
    }
  }

  private static <T> void unary(StreamObserver<T> responses, Work<T> work) {
    T response;
    try {
      response = work.run();
    } catch (StatusException e) {
      responses.onError(e);
      return;
    } catch (RuntimeException e) {
      logger.error("admin call failed unexpectedly", e);
      responses.onError(
          Status.INTERNAL.withDescription("controller error: " + e).withCause(e).asException());
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }

  private static void required(String field, String value) throws StatusException {
    if (value.isBlank()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(field + ": missing (expected: a non-empty value)")
          .asException();
    }
  }

  /**
   * The leader's admin address a standby gave in {@code failure}'s trailers; empty for any other
   * failure, and while no controller leads.
   */
  public static Optional<String> leaderOf(StatusRuntimeException failure) {
    Metadata trailers = failure.getTrailers();
    return failure.getStatus().getCode() == Status.Code.UNAVAILABLE && trailers != null
        ? Optional.ofNullable(trailers.get(LEADER_TRAILER))
        : Optional.empty();
  }

  private void requireLeader() throws StatusException {
    if (!leadership.isLeader()) {
      throw standby(leadership.leader());
    }
  }

  /**
   * What a standby answers every admin call: UNAVAILABLE naming the {@code leader}, whose address
   * is also the {@value #LEADER_TRAILER_NAME} trailer, or saying that an election is in progress.
   */
  public static StatusException standby(Optional<String> leader) {
    Metadata trailers = new Metadata();
    leader.ifPresent(address -> trailers.put(LEADER_TRAILER, address));
    String where =
        leader
            .map(address -> "the leader is " + address + "; call it instead")
            .orElse("no controller leads right now (an election is in progress); retry shortly");
    return Status.UNAVAILABLE
        .withDescription("this controller is a standby: " + where)
        .asException(trailers);
  }
}
