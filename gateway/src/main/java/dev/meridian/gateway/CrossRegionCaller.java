package dev.meridian.gateway;

import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.inference.v1.ServingPath;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Calls one replica per region, regions in preference order, until one answers: a retryable failure
 * moves on to the next region, any other failure goes back to the caller. Every attempt runs within
 * the caller's deadline, or the default attempt timeout when the caller set none. The answer says
 * which region and replica served it and on which path. Thread-safe.
 */
public final class CrossRegionCaller {
  private final List<RegionUpstream> regions;
  private final Duration defaultTimeout;

  /**
   * Creates a caller.
   *
   * @param regions the regions in preference order, the gateway's own first
   * @param defaultTimeout the deadline of a call whose caller set none
   */
  public CrossRegionCaller(List<RegionUpstream> regions, Duration defaultTimeout) {
    this.regions = List.copyOf(regions);
    this.defaultTimeout = defaultTimeout;
  }

  /**
   * Runs {@code request} in the first region that can answer.
   *
   * @throws StatusRuntimeException the non-retryable failure of an attempt, or {@code UNAVAILABLE}
   *     listing every region's failure when none could answer
   */
  public PredictResponse call(PredictRequest request) {
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) {
      deadline = Deadline.after(defaultTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    List<String> failures = new ArrayList<>();
    for (RegionUpstream region : regions) {
      if (deadline.isExpired()) {
        break;
      }
      RegionUpstream.Replica replica = region.pick();
      try {
        PredictResponse response =
            InferenceGrpc.newBlockingStub(replica.channel())
                .withDeadline(deadline)
                .predict(request);
        return label(response, failures);
      } catch (StatusRuntimeException e) {
        if (!RetryableStatus.isRetryable(e.getStatus().getCode())) {
          throw e;
        }
        failures.add(region.region() + " (" + replica.address() + "): " + describe(e.getStatus()));
      }
    }
    Status status = deadline.isExpired() ? Status.DEADLINE_EXCEEDED : Status.UNAVAILABLE;
    throw status
        .withDescription(
            "no region could answer model '" + request.getModelName() + "': " + failures)
        .asRuntimeException();
  }

  private static PredictResponse label(PredictResponse response, List<String> failures) {
    ServedBy.Builder servedBy =
        response.getServedBy().toBuilder()
            .setAttempts(failures.size() + 1)
            .setPath(
                failures.isEmpty()
                    ? ServingPath.SERVING_PATH_PRIMARY
                    : ServingPath.SERVING_PATH_RETRY);
    if (!failures.isEmpty()) {
      servedBy.setReason(String.join("; ", failures));
    }
    return response.toBuilder().setServedBy(servedBy).build();
  }

  private static String describe(Status status) {
    return status.getDescription() == null
        ? status.getCode().toString()
        : status.getCode() + " " + status.getDescription();
  }
}
