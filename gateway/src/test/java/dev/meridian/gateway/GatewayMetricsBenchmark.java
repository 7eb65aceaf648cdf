package dev.meridian.gateway;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.Ticker;
import dev.meridian.gateway.load.LoadMeter;
import dev.meridian.gateway.routing.RoutingState;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the gateway's metrics cost a call: the listener calls one answered call makes ({@code
 * attempt} and {@code call}: two latency histograms, the attempts histogram and the load meter),
 * timed against the same loop with nothing recorded, in {@value #ROUNDS} interleaved rounds after a
 * warm-up, so machine noise hits both alike. Prints each round and the median nanoseconds added. A
 * benchmark, not part of the suite:
 *
 * <pre>
 * mvn -B -pl gateway -am test -Dtest=GatewayMetricsBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class GatewayMetricsBenchmark {
  private static final int ROUNDS = 5;
  private static final int CALLS = 2_000_000;
  private static final Duration ELAPSED = Duration.ofMillis(3);

  /** Where the timed loops leave a value, so the JIT cannot drop them. */
  private long sink;

  @Test
  void metricsOfOneCallAgainstNone() {
    GatewayMetrics metrics =
        new GatewayMetrics(
            new MetricRegistry(), new RoutingState(Ticker.SYSTEM), new LoadMeter(Ticker.SYSTEM));
    loop(metrics, CALLS);
    loop(null, CALLS);
    List<Double> added = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      double with = loop(metrics, CALLS);
      double without = loop(null, CALLS);
      added.add(with - without);
      System.out.printf(
          "metrics-cost: round %d: with metrics %.0f ns per call, without %.1f ns, added %.0f ns%n",
          round, with, without, with - without);
    }
    double[] sorted = added.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        "metrics-cost: median %.0f ns added per call (range %.0f-%.0f) over %d rounds; sink %d%n",
        sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], ROUNDS, sink);
  }

  /** Nanoseconds per call of {@code calls} calls' recording, or of the bare loop when null. */
  private double loop(GatewayMetrics metrics, int calls) {
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      Duration elapsed = ELAPSED.plusNanos(i & 1023);
      if (metrics != null) {
        metrics.attempt("fraud-score", "eu-west", Status.Code.OK, elapsed);
        metrics.call("fraud-score", "PRIMARY", 1, elapsed);
      }
      sink += elapsed.getNano();
    }
    return (System.nanoTime() - start) / (double) calls;
  }
}
