package dev.meridian.agent.features;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.Ticker;
import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Warms a replica's feature path before it serves: lookups of an entity no store holds, through a
 * lookup of their own (cache and metrics thrown away), so that the first callers by entity key do
 * not pay for the store client's cold code (interpreted, unloaded classes: milliseconds a read).
 * Bounded in time as well as in count, so a store that is down or frozen at start costs little.
 */
public final class FeatureWarmUp {
  /** The entity id warm-up lookups ask for. */
  static final String ENTITY_ID = "meridian-warm-up";

  /** The longest a warm-up takes, whatever the stores do. */
  static final Duration BOUND = Duration.ofSeconds(3);

  private FeatureWarmUp() {}

  /**
   * Runs up to {@code lookups} lookups of {@code inputs} against {@code stores}, for at most {@link
   * #BOUND}.
   *
   * @return how many ran
   */
  public static int run(
      List<FeatureStore> stores, FeatureInputs inputs, Duration lookupTimeout, int lookups) {
    FeatureLookup lookup =
        new FeatureLookup(
            "warm-up",
            inputs,
            stores,
            new FeatureCache(1),
            lookupTimeout,
            Clock.systemUTC(),
            Ticker.SYSTEM,
            new FeatureMetrics(new MetricRegistry(), "warm-up", inputs));
    Deadline end = Deadline.after(BOUND.toNanos(), TimeUnit.NANOSECONDS);
    int done = 0;
    while (done < lookups && !end.isExpired()) {
      try {
        lookup.resolve(List.of(ENTITY_ID), Optional.of(end));
      } catch (StatusRuntimeException notFound) {
        // Expected: no store holds the warm-up entity.
      }
      done++;
    }
    return done;
  }
}
