package dev.meridian.deploy.bench;

import com.google.gson.GsonBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Renders a run's {@link BenchResults.Summary} as a table for people and as JSON for tools. */
public final class BenchReport {
  private static final double[] PERCENTILES = {50, 90, 99, 99.9};

  private BenchReport() {}

  /** The human table. */
  public static String text(String label, BenchResults.Summary summary, Duration elapsed) {
    Histogram h = summary.latencyMicros();
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            "%s: %d calls in %.1f s = %.0f calls/s, %d failed%n",
            label,
            summary.calls(),
            seconds(elapsed),
            summary.calls() / seconds(elapsed),
            summary.failed()));
    text.append("latency ms:");
    for (double p : PERCENTILES) {
      text.append(String.format("  p%s %.3f", trim(p), h.getValueAtPercentile(p) / 1000.0));
    }
    text.append(String.format("  max %.3f%n", h.getMaxValue() / 1000.0));
    text.append("by status: ").append(summary.byStatus()).append('\n');
    text.append("served by: ").append(summary.byPath()).append('\n');
    if (summary.calls() > 0) {
      text.append(
          String.format(
              "upstream attempts per call: %.3f%n",
              summary.upstreamAttempts() / (double) summary.calls()));
    }
    return text.toString();
  }

  /** The machine-readable form. */
  public static String json(String label, BenchResults.Summary summary, Duration elapsed) {
    Histogram h = summary.latencyMicros();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("label", label);
    json.put("calls", summary.calls());
    json.put("failed", summary.failed());
    json.put("elapsed_seconds", seconds(elapsed));
    json.put("throughput_per_second", summary.calls() / seconds(elapsed));
    Map<String, Double> latency = new LinkedHashMap<>();
    for (double p : PERCENTILES) {
      latency.put("p" + trim(p), h.getValueAtPercentile(p) / 1000.0);
    }
    latency.put("max", h.getMaxValue() / 1000.0);
    json.put("latency_ms", latency);
    json.put("by_status", summary.byStatus());
    json.put("served_by", summary.byPath());
    json.put(
        "upstream_attempts_per_call",
        summary.calls() == 0 ? 0 : summary.upstreamAttempts() / (double) summary.calls());
    return new GsonBuilder().setPrettyPrinting().create().toJson(json);
  }

  private static double seconds(Duration elapsed) {
    return Math.max(1e-9, elapsed.toNanos() / 1e9);
  }

  private static String trim(double percentile) {
    return percentile == Math.rint(percentile)
        ? String.valueOf((long) percentile)
        : String.valueOf(percentile);
  }
}
