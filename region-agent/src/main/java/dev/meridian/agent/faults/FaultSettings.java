package dev.meridian.agent.faults;

import com.google.protobuf.util.Durations;
import dev.meridian.agent.features.FeatureSource;
import dev.meridian.core.CallerText;
import dev.meridian.proto.agent.v1.FaultState;
import dev.meridian.proto.agent.v1.SetFaultsRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * The faults one replica applies to its Predict calls and its feature stores' reads. Immutable.
 *
 * @param addedLatency latency added before the model runs, zero for none
 * @param failureFraction the fraction of calls, 0 to 1, that fail with {@code failureCode}
 * @param failureCode the status code failing calls get; never OK
 * @param failedStores the feature stores ({@code primary}, {@code replica}) whose reads fail
 * @param frozenStores the feature stores whose reads go unanswered until their timeout
 */
public record FaultSettings(
    Duration addedLatency,
    double failureFraction,
    Status.Code failureCode,
    Set<String> failedStores,
    Set<String> frozenStores) {
  /** The feature stores a replica may have, by the names faults use. */
  static final Set<String> STORES =
      Set.of(FeatureSource.PRIMARY.label(), FeatureSource.REPLICA.label());

  /**
   * The longest latency a fault may add: beyond it a call is simply stuck, which tests rarely mean.
   */
  public static final Duration MAX_LATENCY = Duration.ofSeconds(60);

  /** No faults at all. */
  public static final FaultSettings NONE =
      new FaultSettings(Duration.ZERO, 0, Status.Code.UNAVAILABLE, Set.of(), Set.of());

  /** Validates the fields. */
  public FaultSettings {
    if (addedLatency.isNegative() || addedLatency.compareTo(MAX_LATENCY) > 0) {
      throw invalid("added_latency: " + addedLatency + " (expected: 0s..60s)");
    }
    if (!(failureFraction >= 0 && failureFraction <= 1)) {
      throw invalid("failure_fraction: " + failureFraction + " (expected: 0..1)");
    }
    if (failureCode == Status.Code.OK) {
      throw invalid("failure_code: OK (expected: an error code such as UNAVAILABLE)");
    }
    failedStores = stores("failed_feature_stores", failedStores);
    frozenStores = stores("frozen_feature_stores", frozenStores);
  }

  /**
   * Reads a request's faults.
   *
   * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} naming the offending field
   */
  public static FaultSettings from(SetFaultsRequest request) {
    Status.Code code = Status.Code.UNAVAILABLE;
    if (!request.getFailureCode().isEmpty()) {
      try {
        code = Status.Code.valueOf(request.getFailureCode());
      } catch (IllegalArgumentException e) {
        throw invalid(
            "failure_code: "
                + CallerText.quoted(request.getFailureCode())
                + " (expected: a gRPC status code name such as UNAVAILABLE)");
      }
    }
    Duration latency;
    try {
      latency =
          Duration.ofNanos(Durations.toNanos(Durations.checkValid(request.getAddedLatency())));
    } catch (IllegalArgumentException e) {
      throw invalid("added_latency: " + e.getMessage() + " (expected: 0s..60s)");
    }
    return new FaultSettings(
        latency,
        request.getFailureFraction(),
        code,
        Set.copyOf(request.getFailedFeatureStoresList()),
        Set.copyOf(request.getFrozenFeatureStoresList()));
  }

  private static Set<String> stores(String field, Set<String> names) {
    for (String name : names) {
      if (!STORES.contains(name)) {
        throw invalid(
            field + ": " + CallerText.quoted(name) + " (expected: " + new TreeSet<>(STORES) + ")");
      }
    }
    return Set.copyOf(names);
  }

  /** The settings as the API reports them for {@code replica}. */
  public FaultState toState(String replica) {
    return FaultState.newBuilder()
        .setReplica(replica)
        .setAddedLatency(Durations.fromNanos(addedLatency.toNanos()))
        .setFailureFraction(failureFraction)
        .setFailureCode(failureCode.name())
        .addAllFailedFeatureStores(new TreeSet<>(failedStores))
        .addAllFrozenFeatureStores(new TreeSet<>(frozenStores))
        .build();
  }

  private static io.grpc.StatusRuntimeException invalid(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
  }
}
