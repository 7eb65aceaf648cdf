package dev.meridian.agent.features;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.Ticker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one feature lookup costs a replica: the whole chain ({@link FeatureLookup#resolve}) for one
 * entity of four features, against a real Redis primary on this machine, and against the embedded
 * store as the baseline (no network), lookups of the two kinds in turn so that machine noise hits
 * both alike. After {@value #WARM_UP} lookups of each, {@value #LOOKUPS} of each; prints p50 and
 * p99 of both and their ratio. A benchmark, not part of the suite (surefire runs only {@code *Test}
 * classes):
 *
 * <pre>
 * mvn -B -pl region-agent -am test -Dtest=FeatureLookupBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class FeatureLookupBenchmark {
  private static final int WARM_UP = 5_000;
  private static final int LOOKUPS = 20_000;
  private static final int ENTITIES = 1_000;
  private static final FeatureInputs INPUTS =
      new FeatureInputs(
          "features",
          "card_id",
          List.of("amount", "velocity_1h", "account_age_days", "merchant_risk").stream()
              .map(name -> new FeatureSpec(name, 0, Duration.ofHours(1), Duration.ofHours(24)))
              .toList());

  @TempDir Path directory;

  @Test
  void lookupAgainstRedisAndTheEmbeddedStore() throws Exception {
    try (RedisServers servers = RedisServers.in(directory)) {
      RedisServers.Server primary = servers.primary();
      MemoryFeatureStore memory = new MemoryFeatureStore("primary");
      Clock clock = Clock.systemUTC();
      for (int i = 0; i < ENTITIES; i++) {
        Map<String, String> hash = new HashMap<>();
        for (String feature : INPUTS.names()) {
          hash.put(feature, String.valueOf(i * 0.01));
        }
        hash.put(FeatureKeys.EVENT_TIME, String.valueOf(clock.millis()));
        primary.write(FeatureKeys.key("card_id", "c-" + i), hash);
        memory.put(FeatureKeys.key("card_id", "c-" + i), hash);
      }
      try (RedisFeatureStore redis =
          RedisFeatureStore.connect(
              "primary", primary.host(), primary.port(), Optional.empty(), Duration.ofSeconds(1))) {
        FeatureLookup[] lookups = {lookup(redis, clock), lookup(memory, clock)};
        Histogram[] latency = {new Histogram(3), new Histogram(3)};
        for (int i = 0; i < 2 * (WARM_UP + LOOKUPS); i++) {
          int kind = i % 2;
          String id = "c-" + (i / 2) % ENTITIES;
          long start = System.nanoTime();
          lookups[kind].resolve(List.of(id), Optional.empty());
          if (i >= 2 * WARM_UP) {
            latency[kind].recordValue(System.nanoTime() - start);
          }
        }
        System.out.printf(
            Locale.ROOT,
            "feature-lookup: redis p50/p99 %.1f/%.1f us, embedded p50/p99 %.1f/%.1f us, ratio"
                + " p50 %.1f p99 %.1f (%d lookups each)%n",
            micros(latency[0], 50),
            micros(latency[0], 99),
            micros(latency[1], 50),
            micros(latency[1], 99),
            micros(latency[0], 50) / micros(latency[1], 50),
            micros(latency[0], 99) / micros(latency[1], 99),
            LOOKUPS);
      }
    }
  }

  private static FeatureLookup lookup(FeatureStore store, Clock clock) {
    MetricRegistry registry = new MetricRegistry();
    return new FeatureLookup(
        "fraud",
        INPUTS,
        List.of(store),
        new FeatureCache(ENTITIES),
        Duration.ofMillis(50),
        clock,
        Ticker.SYSTEM,
        new FeatureMetrics(registry, "fraud", INPUTS));
  }

  private static double micros(Histogram histogram, double percentile) {
    return histogram.getValueAtPercentile(percentile) / (double) TimeUnit.MICROSECONDS.toNanos(1);
  }
}
