package dev.meridian.controller.routing;

import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The {@code drain} section of the controller's file: how much of its capacity a surviving region
 * may be projected to use before a drain is refused (or its ramp paused), and how often the
 * gateways' load reports are read. See {@link CapacityProjection}.
 *
 * @param maxUtilisation the headroom limit: projected calls in flight over healthy capacity
 * @param loadRefresh how often the controller reads the load reports of every region's gateways
 */
public record DrainPolicy(double maxUtilisation, Duration loadRefresh) {
  /** {@code drain.max-utilisation}. */
  public static final Setting<Double> MAX_UTILISATION =
      Setting.number("drain.max-utilisation", 0.01, 1)
          .withDefault(0.8)
          .means(
              "a drain is refused (unless forced), and its ramp paused, while it would take a"
                  + " surviving region past this share of its capacity (calls in flight over"
                  + " concurrent capacity)");

  /** {@code drain.load-refresh}. */
  public static final Setting<Duration> LOAD_REFRESH =
      Setting.duration("drain.load-refresh", Duration.ofMillis(100), Duration.ofMinutes(1))
          .withDefault(Duration.ofSeconds(2))
          .means("how often the gateways' load reports are read from every region");

  /** Every key of the {@code drain} section. */
  public static final List<Setting<?>> SETTINGS = List.of(MAX_UTILISATION, LOAD_REFRESH);

  /** Every key at its default. */
  public static final DrainPolicy DEFAULTS =
      new DrainPolicy(MAX_UTILISATION.defaultValue(), LOAD_REFRESH.defaultValue());

  /**
   * Checks both components by their keys' rules.
   *
   * @throws IllegalArgumentException naming the offending key
   */
  public DrainPolicy {
    MAX_UTILISATION.check(maxUtilisation);
    LOAD_REFRESH.check(loadRefresh);
  }

  /**
   * Reads the {@code drain} section; absent keys take their defaults.
   *
   * @throws dev.meridian.core.config.ConfigException naming the file and the offending key
   */
  public static DrainPolicy read(ConfigNode drain) {
    return new DrainPolicy(MAX_UTILISATION.read(drain), LOAD_REFRESH.read(drain));
  }
}
