package dev.meridian.agent.features;

/**
 * The feature store's layout, stated once: one hash per entity at {@code features:<entity>:<id>}
 * (for example {@code features:card_id:c-1001}), with one field per feature holding its value as
 * decimal text and the field {@link #EVENT_TIME} holding when the values were computed, in
 * milliseconds since the epoch.
 */
public final class FeatureKeys {
  /** The hash field with the entity's event time, in epoch milliseconds. */
  public static final String EVENT_TIME = "_ts";

  private static final String PREFIX = "features:";

  private FeatureKeys() {}

  /** The key of the hash of entity {@code id} of kind {@code entity}. */
  public static String key(String entity, String id) {
    return PREFIX + entity + ":" + id;
  }
}
