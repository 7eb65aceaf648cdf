package dev.meridian.agent.config;

import dev.meridian.core.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The agent's keys for feature lookups, each stated once: where the region's feature store is
 * ({@code feature-store.*}), and per model the input assembled from features ({@code
 * models[].features.*}) and the confidence rule ({@code models[].confidence.*}). Part of {@link
 * AgentSettings#SCHEMA}.
 */
public final class FeatureSettings {
  private FeatureSettings() {}

  /** {@code feature-store.primary}. */
  public static final Setting<OipServer.Address> PRIMARY =
      AgentSettings.hostPort("feature-store.primary")
          .derivedWhenAbsent("this or `feature-store.embedded`, when a model has features")
          .means("the region's primary Redis, `host:port`, read first");

  /** {@code feature-store.replica}. */
  public static final Setting<OipServer.Address> REPLICA =
      AgentSettings.hostPort("feature-store.replica")
          .derivedWhenAbsent("none")
          .means(
              "the region's replica Redis (replicating the primary), read for what the primary"
                  + " could not give");

  /** {@code feature-store.embedded}, which must name a readable file if present. */
  public static final Setting<String> EMBEDDED =
      Setting.text("feature-store.embedded")
          .derivedWhenAbsent("none")
          .means(
              "instead of Redis, an in-process store in each replica seeded from this JSON file"
                  + " (demo entities)");

  /** {@code feature-store.lookup-timeout}. */
  public static final Setting<Duration> LOOKUP_TIMEOUT =
      Setting.duration("feature-store.lookup-timeout", Duration.ofMillis(1), Duration.ofSeconds(10))
          .withDefault(Duration.ofMillis(50))
          .means("longest one store read may take; at most half of the call's remaining deadline");

  /** {@code feature-store.cache-entities}. */
  public static final Setting<Integer> CACHE_ENTITIES =
      Setting.integer("feature-store.cache-entities", 1, 10_000_000)
          .withDefault(100_000)
          .means("entities whose recent feature values each replica process keeps");

  /** {@code feature-store.password-file}, which must name a readable file holding a password. */
  public static final Setting<String> PASSWORD_FILE =
      Setting.text("feature-store.password-file")
          .derivedWhenAbsent("none")
          .means("the Redis password (`AUTH`, primary and replica alike), read from this file");

  /** {@code models[].features.input}. */
  public static final Setting<String> INPUT =
      Setting.text("models[].features.input")
          .derivedWhenAbsent("no feature lookup")
          .means("the FP32 `[n, k]` input assembled from the `k` features of `n` entities");

  /** {@code models[].features.entity}. */
  public static final Setting<String> ENTITY =
      Setting.name("models[].features.entity")
          .derivedWhenAbsent("required with `features.input`")
          .means("the entity kind, and the input callers send its keys in instead of the tensor");

  /** {@code models[].features.values[].name}. */
  public static final Setting<String> FEATURE_NAME =
      Setting.name("models[].features.values[].name")
          .required()
          .means("a feature: a field of the entity's hash, in the input's column order");

  /** {@code models[].features.values[].default}. */
  public static final Setting<Double> FEATURE_DEFAULT =
      Setting.number("models[].features.values[].default", -1e12, 1e12)
          .withDefault(0.0)
          .means("the value used when no store and no cached value has the feature in time");

  /** {@code models[].features.values[].max-age}. */
  public static final Setting<Duration> FEATURE_MAX_AGE =
      Setting.duration("models[].features.values[].max-age", Duration.ofMillis(1))
          .withDefault(Duration.ofHours(1))
          .means("older values are stale: used, counted and labelled as stale");

  /** {@code models[].features.values[].hard-limit}. */
  public static final Setting<Duration> FEATURE_HARD_LIMIT =
      Setting.duration("models[].features.values[].hard-limit", Duration.ofMillis(1))
          .withDefault(Duration.ofHours(24))
          .means("older values are treated as missing; at least `max-age`");

  /** {@code models[].confidence.output}. */
  public static final Setting<String> CONFIDENCE_OUTPUT =
      Setting.text("models[].confidence.output")
          .derivedWhenAbsent("no confidence rule")
          .means(
              "an output of probabilities; a row's confidence is its largest (`max(p, 1-p)` for one"
                  + " probability), the answer's is its least confident row's; needs `fallback`");

  /** {@code models[].confidence.threshold}. */
  public static final Setting<Double> CONFIDENCE_THRESHOLD =
      Setting.number("models[].confidence.threshold", 0, 1)
          .withDefault(0.6)
          .means("an answer less confident than this is given by the fallback model instead");

  /** Every key, in the order the reference table lists them. */
  public static final List<Setting<?>> ALL =
      List.of(
          PRIMARY,
          REPLICA,
          EMBEDDED,
          LOOKUP_TIMEOUT,
          CACHE_ENTITIES,
          PASSWORD_FILE,
          INPUT,
          ENTITY,
          FEATURE_NAME,
          FEATURE_DEFAULT,
          FEATURE_MAX_AGE,
          FEATURE_HARD_LIMIT,
          CONFIDENCE_OUTPUT,
          CONFIDENCE_THRESHOLD);
}
