package dev.meridian.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One gateway's load over its last report interval, as it writes it to {@link
 * MeridianLayout#loadKey} and the controller reads it back: for each model and each region the
 * gateway sent that model's calls to, the calls per second and the mean calls in flight. Both
 * figures count upstream attempts (a retry or a hedge takes a replica's slot like a first attempt
 * does), and calls in flight are the attempts' summed duration over the interval's length, which by
 * Little's law is the mean number in flight: the figure to compare with a replica's capacity, the
 * calls it runs at once. Immutable.
 *
 * @param gateway the gateway's id, the last segment of its key
 * @param at when the interval ended, on the gateway's wall clock
 * @param interval how long it was, which is also how often the gateway reports
 * @param models by model, then by region: the load
 * @param breakers by model, then by region: the state of the gateway's breaker ({@code CLOSED},
 *     {@code OPEN} or {@code HALF_OPEN}), for the operators' views; only breakers it has made
 */
public record LoadReport(
    String gateway,
    Instant at,
    Duration interval,
    Map<String, Map<String, RegionLoad>> models,
    Map<String, Map<String, String>> breakers) {

  /** A report without breakers. */
  public LoadReport(
      String gateway, Instant at, Duration interval, Map<String, Map<String, RegionLoad>> models) {
    this(gateway, at, interval, models, Map.of());
  }

  /** Checks the fields and copies the maps, keeping their order. */
  public LoadReport {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(at, "at");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: positive)");
    }
    models = copyOf(models, "model");
    breakers = copyOf(breakers, "model");
  }

  private static <V> Map<String, Map<String, V>> copyOf(
      Map<String, Map<String, V>> nested, String keyName) {
    Map<String, Map<String, V>> copy = new LinkedHashMap<>();
    nested.forEach(
        (outer, inner) ->
            copy.put(
                Objects.requireNonNull(outer, keyName),
                Collections.unmodifiableMap(new LinkedHashMap<>(inner))));
    return Collections.unmodifiableMap(copy);
  }

  /** Attempts per second over the interval, every model and region together. */
  public double callsPerSecond() {
    return models.values().stream()
        .flatMap(regions -> regions.values().stream())
        .mapToDouble(RegionLoad::callsPerSecond)
        .sum();
  }

  /** Whether the report is too old to count at {@code now}: more than three intervals. */
  public boolean staleAt(Instant now) {
    return Duration.between(at, now).compareTo(interval.multipliedBy(3)) > 0;
  }

  /**
   * The load one gateway sent one region for one model.
   *
   * @param callsPerSecond attempts that ended per second
   * @param inFlight mean attempts in flight
   */
  public record RegionLoad(double callsPerSecond, double inFlight) {
    /** No load. */
    public static final RegionLoad NONE = new RegionLoad(0, 0);

    /** Checks both figures are finite and not negative. */
    public RegionLoad {
      if (!(callsPerSecond >= 0) || Double.isInfinite(callsPerSecond)) {
        throw new IllegalArgumentException(
            "callsPerSecond: " + callsPerSecond + " (expected: a finite number >= 0)");
      }
      if (!(inFlight >= 0) || Double.isInfinite(inFlight)) {
        throw new IllegalArgumentException(
            "inFlight: " + inFlight + " (expected: a finite number >= 0)");
      }
    }

    /** The sum of this load and {@code other}. */
    public RegionLoad plus(RegionLoad other) {
      return new RegionLoad(callsPerSecond + other.callsPerSecond, inFlight + other.inFlight);
    }
  }
}
