package dev.meridian.core.oip;

import dev.meridian.proto.inference.v1.FeatureSources;
import dev.meridian.proto.oip.v2.InferParameter;
import dev.meridian.proto.oip.v2.ModelInferResponse;
import java.util.Map;
import java.util.Optional;

/**
 * Where a call's features came from ({@link FeatureSources}), written into an Open Inference
 * Protocol answer's parameters as int64 values under documented names, and read back: {@code
 * meridian.features.primary}, {@code .replica}, {@code .cache}, {@code .defaults}, {@code .stale}
 * and {@code .oldest_age_millis}. Absent when the replica looked no features up.
 */
public final class OipFeatureSources {
  private static final String PREFIX = "meridian.features.";

  /** Values read from the region's primary store. */
  public static final String PRIMARY = PREFIX + "primary";

  /** Values read from the region's replica store. */
  public static final String REPLICA = PREFIX + "replica";

  /** Values from the replica process's cache. */
  public static final String CACHE = PREFIX + "cache";

  /** Values set to their feature's default. */
  public static final String DEFAULTS = PREFIX + "defaults";

  /** Values used although older than their maximum age. */
  public static final String STALE = PREFIX + "stale";

  /** The oldest value's age in milliseconds. */
  public static final String OLDEST_AGE_MILLIS = PREFIX + "oldest_age_millis";

  private OipFeatureSources() {}

  /** Adds {@code sources} to {@code answer}'s parameters. */
  static void add(ModelInferResponse.Builder answer, FeatureSources sources) {
    put(answer, PRIMARY, sources.getPrimary());
    put(answer, REPLICA, sources.getReplica());
    put(answer, CACHE, sources.getCache());
    put(answer, DEFAULTS, sources.getDefaults());
    put(answer, STALE, sources.getStale());
    put(answer, OLDEST_AGE_MILLIS, sources.getOldestAgeMillis());
  }

  /** What {@link #add} wrote, if it did. */
  static Optional<FeatureSources> read(ModelInferResponse answer) {
    Map<String, InferParameter> parameters = answer.getParametersMap();
    if (!parameters.containsKey(PRIMARY)) {
      return Optional.empty();
    }
    return Optional.of(
        FeatureSources.newBuilder()
            .setPrimary((int) number(parameters, PRIMARY))
            .setReplica((int) number(parameters, REPLICA))
            .setCache((int) number(parameters, CACHE))
            .setDefaults((int) number(parameters, DEFAULTS))
            .setStale((int) number(parameters, STALE))
            .setOldestAgeMillis(number(parameters, OLDEST_AGE_MILLIS))
            .build());
  }

  private static void put(ModelInferResponse.Builder answer, String name, long value) {
    answer.putParameters(name, InferParameter.newBuilder().setInt64Param(value).build());
  }

  private static long number(Map<String, InferParameter> parameters, String name) {
    return parameters.getOrDefault(name, InferParameter.getDefaultInstance()).getInt64Param();
  }
}
