package dev.meridian.controller.routing;

import dev.meridian.registry.LoadReport;
import dev.meridian.registry.LoadReport.RegionLoad;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The load the controller knows of: the gateways' fresh reports summed per model and region. A
 * gateway whose report is missing or stale is not seen at all, so the figures are a lower bound.
 * Immutable.
 *
 * @param models by model, then by region: the load of every reporting gateway together
 * @param reports the reports summed, for the operators' view of each gateway
 */
public record LoadSnapshot(Map<String, Map<String, RegionLoad>> models, List<LoadReport> reports) {
  /** No report at all: every model's load is unknown. */
  public static final LoadSnapshot NONE = new LoadSnapshot(Map.of(), List.of());

  /** Copies the maps and the reports. */
  public LoadSnapshot {
    Map<String, Map<String, RegionLoad>> copy = new TreeMap<>();
    models.forEach(
        (model, regions) -> copy.put(model, Collections.unmodifiableMap(new TreeMap<>(regions))));
    models = Collections.unmodifiableMap(copy);
    reports = List.copyOf(reports);
  }

  /** The sum of {@code reports}. */
  public static LoadSnapshot sum(Collection<LoadReport> reports) {
    Map<String, Map<String, RegionLoad>> sum = new TreeMap<>();
    for (LoadReport report : reports) {
      report
          .models()
          .forEach(
              (model, regions) ->
                  regions.forEach(
                      (region, load) ->
                          sum.computeIfAbsent(model, name -> new TreeMap<>())
                              .merge(region, load, RegionLoad::plus)));
    }
    return new LoadSnapshot(sum, List.copyOf(reports));
  }

  /** The load of {@code model} by region; empty when no report names the model (unknown load). */
  public Optional<Map<String, RegionLoad>> of(String model) {
    return Optional.ofNullable(models.get(model));
  }
}
