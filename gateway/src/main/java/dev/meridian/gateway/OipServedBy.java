package dev.meridian.gateway;

import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.oip.v2.InferParameter;
import dev.meridian.proto.oip.v2.ModelInferResponse;

/**
 * How a call was served ({@link ServedBy}), written into an Open Inference Protocol answer's
 * parameters under documented names, since the protocol has no field for it.
 */
final class OipServedBy {
  /** The region whose replica answered; absent for a default response. */
  static final String REGION = "meridian.region";

  /** The replica that answered; absent for a default response. */
  static final String REPLICA = "meridian.replica";

  /** The serving path: PRIMARY, RETRY, HEDGE, FALLBACK_MODEL or DEFAULT_RESPONSE. */
  static final String PATH = "meridian.path";

  /** Upstream attempts made for the call, the answering one included (int64). */
  static final String ATTEMPTS = "meridian.attempts";

  /** Why the call left the primary path; absent when it did not. */
  static final String REASON = "meridian.reason";

  private static final String PATH_PREFIX = "SERVING_PATH_";

  private OipServedBy() {}

  /** Adds {@code servedBy}'s fields to {@code answer}'s parameters. */
  static ModelInferResponse.Builder add(ModelInferResponse.Builder answer, ServedBy servedBy) {
    putIfPresent(answer, REGION, servedBy.getRegion());
    putIfPresent(answer, REPLICA, servedBy.getReplica());
    answer.putParameters(
        PATH,
        InferParameter.newBuilder()
            .setStringParam(servedBy.getPath().name().replace(PATH_PREFIX, ""))
            .build());
    answer.putParameters(
        ATTEMPTS, InferParameter.newBuilder().setInt64Param(servedBy.getAttempts()).build());
    putIfPresent(answer, REASON, servedBy.getReason());
    return answer;
  }

  private static void putIfPresent(ModelInferResponse.Builder answer, String name, String value) {
    if (!value.isEmpty()) {
      answer.putParameters(name, InferParameter.newBuilder().setStringParam(value).build());
    }
  }
}
