package dev.meridian.agent.replica;

import dev.meridian.core.tracing.CallTraces;
import dev.meridian.proto.inference.v1.FeatureSources;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServingPath;
import io.grpc.Context;
import io.opentelemetry.api.trace.Span;

/**
 * Labels the span of the call being served with how the replica answered it: the model that
 * answered, the serving path when it was not the primary's, and where the features came from.
 */
final class ServedSpan {
  private ServedSpan() {}

  /** Labels the current call's span, when it is recorded. */
  static void label(PredictResponse response) {
    Span span = CallTraces.span(Context.current());
    if (!span.isRecording()) {
      return;
    }
    span.setAttribute("meridian.model", response.getModelName());
    if (response.getServedBy().getPath() != ServingPath.SERVING_PATH_UNSPECIFIED) {
      span.setAttribute("meridian.serving_path", response.getServedBy().getPath().name());
    }
    if (response.hasFeatures()) {
      FeatureSources features = response.getFeatures();
      span.setAttribute("meridian.features.primary", features.getPrimary());
      span.setAttribute("meridian.features.replica", features.getReplica());
      span.setAttribute("meridian.features.cache", features.getCache());
      span.setAttribute("meridian.features.defaults", features.getDefaults());
      span.setAttribute("meridian.features.stale", features.getStale());
      span.setAttribute("meridian.features.oldest_age_millis", features.getOldestAgeMillis());
    }
  }
}
