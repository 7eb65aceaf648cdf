package dev.meridian.core.oip;

import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.inference.v1.ServingPath;
import dev.meridian.proto.oip.v2.InferParameter;
import dev.meridian.proto.oip.v2.ModelInferResponse;
import java.util.Map;

/**
 * How a call was served ({@link ServedBy}), written into an Open Inference Protocol answer's
 * parameters under documented names, since the protocol has no field for it, and read back by
 * Meridian's own clients.
 */
public final class OipServedBy {
  /** The region whose replica answered; absent for a default response. */
  public static final String REGION = "meridian.region";

  /** The replica that answered; absent for a default response. */
  public static final String REPLICA = "meridian.replica";

  /**
   * The serving path: PRIMARY, RETRY, HEDGE, FALLBACK_MODEL, DEFAULT_RESPONSE or LOW_CONFIDENCE.
   */
  public static final String PATH = "meridian.path";

  /** Upstream attempts made for the call, the answering one included (int64). */
  public static final String ATTEMPTS = "meridian.attempts";

  /** Why the call left the primary path; absent when it did not. */
  public static final String REASON = "meridian.reason";

  private static final String PATH_PREFIX = "SERVING_PATH_";

  private OipServedBy() {}

  /** Adds {@code servedBy}'s fields to {@code answer}'s parameters. */
  public static ModelInferResponse.Builder add(
      ModelInferResponse.Builder answer, ServedBy servedBy) {
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

  /** Reads what {@link #add} wrote; absent parameters read as empty, an unknown path as unset. */
  public static ServedBy read(ModelInferResponse answer) {
    Map<String, InferParameter> parameters = answer.getParametersMap();
    ServedBy.Builder servedBy =
        ServedBy.newBuilder()
            .setRegion(text(parameters, REGION))
            .setReplica(text(parameters, REPLICA))
            .setAttempts(
                (int)
                    parameters
                        .getOrDefault(ATTEMPTS, InferParameter.getDefaultInstance())
                        .getInt64Param())
            .setReason(text(parameters, REASON));
    String path = PATH_PREFIX + text(parameters, PATH);
    for (ServingPath known : ServingPath.values()) {
      if (known != ServingPath.UNRECOGNIZED && known.name().equals(path)) {
        servedBy.setPath(known);
      }
    }
    return servedBy.build();
  }

  private static String text(Map<String, InferParameter> parameters, String name) {
    return parameters.getOrDefault(name, InferParameter.getDefaultInstance()).getStringParam();
  }

  private static void putIfPresent(ModelInferResponse.Builder answer, String name, String value) {
    if (!value.isEmpty()) {
      answer.putParameters(name, InferParameter.newBuilder().setStringParam(value).build());
    }
  }
}
