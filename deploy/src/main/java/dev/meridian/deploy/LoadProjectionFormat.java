package dev.meridian.deploy;

import dev.meridian.proto.admin.v1.LoadProjection;
import dev.meridian.proto.admin.v1.ModelLoadProjection;
import dev.meridian.proto.admin.v1.SurvivorLoadProjection;
import java.util.Locale;

/**
 * Renders a drain's {@link LoadProjection} for operators: per model, the drained region's load,
 * then one line per surviving region with its share, its calls in flight before and after, its
 * capacity and its projected utilisation, marked when it passes the limit; then the warnings.
 */
final class LoadProjectionFormat {
  private LoadProjectionFormat() {}

  static String format(LoadProjection projection) {
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "capacity: calls in flight (mean over the gateways' last reports) against"
                    + " capacity (calls run at once); limit %.2f%n",
                projection.getMaxUtilisation()));
    for (ModelLoadProjection model : projection.getModelsList()) {
      if (!model.getLoadKnown()) {
        text.append("  model ").append(model.getModelName()).append(": load unknown\n");
        continue;
      }
      text.append(
          String.format(
              Locale.ROOT,
              "  model %s: %s carries %.1f in flight (%.1f calls/s)%n",
              model.getModelName(),
              projection.getRegion(),
              model.getDrainedInFlight(),
              model.getDrainedCallsPerSecond()));
      for (SurvivorLoadProjection survivor : model.getSurvivorsList()) {
        text.append(
            String.format(
                Locale.ROOT,
                "    %-12s takes %3.0f%%  in flight %.1f -> %.1f of %d  utilisation %.2f%s%n",
                survivor.getRegion(),
                survivor.getShare() * 100,
                survivor.getInFlight(),
                survivor.getProjectedInFlight(),
                survivor.getCapacity(),
                survivor.getUtilisation(),
                survivor.getOverLimit() ? "  OVER LIMIT" : ""));
      }
    }
    projection
        .getWarningsList()
        .forEach(warning -> text.append("warning: ").append(warning).append('\n'));
    return text.toString();
  }
}
