package dev.meridian.agent.features;

import java.util.Locale;

/** Where one feature value came from, in the order the lookup chain tries them. */
public enum FeatureSource {
  /** The region's primary store. */
  PRIMARY,
  /** The region's replica store. */
  REPLICA,
  /** The replica process's cache of recently read values. */
  CACHE,
  /** The feature's configured default. */
  DEFAULT;

  /** The name metrics use, such as {@code primary}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
