package dev.meridian.gateway;

import static dev.meridian.gateway.GatewayFixture.EU;
import static dev.meridian.gateway.GatewayFixture.MODEL;
import static dev.meridian.gateway.GatewayFixture.request;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.tracing.Tracing;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two gateways measured side by side in one JVM, each with one scripted replica: after a warm-up,
 * {@value #ROUNDS} interleaved rounds of one call in flight on each, so machine noise hits both
 * alike. Prints each round and the median ratio, for the benchmarks that compare a gateway setting
 * on and off.
 */
final class SideBySide {
  private static final int ROUNDS = 5;
  private static final Duration WARM_UP = Duration.ofSeconds(10);
  private static final Duration ROUND = Duration.ofSeconds(4);

  private SideBySide() {}

  /**
   * Starts {@code fixture}'s gateway in front of one replica of its own, tracing with {@code
   * tracing}, and warms it.
   */
  static void start(GatewayFixture fixture, Path directory, String name, Tracing tracing) {
    fixture.replica(EU, MODEL);
    fixture.table(MODEL, 100, 0);
    fixture.startGateway(directory.resolve(name + "-routing.json"), config -> config, tracing);
    await(name + " gateway sees its replica")
        .atMost(Duration.ofSeconds(20))
        .until(() -> fixture.seesReplicas(1));
    loop(fixture, WARM_UP);
  }

  /** Measures both in turn and prints, under {@code label}, each round and the median ratio. */
  static void compare(
      String label,
      String baselineName,
      GatewayFixture baseline,
      String candidateName,
      GatewayFixture candidate) {
    List<Double> ratios = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      double baseMicros = loop(baseline, ROUND);
      double candidateMicros = loop(candidate, ROUND);
      ratios.add(candidateMicros / baseMicros);
      System.out.printf(
          "%s: round %d: %s mean %.0f us, %s mean %.0f us, ratio %.2f, added %.0f us%n",
          label,
          round,
          baselineName,
          baseMicros,
          candidateName,
          candidateMicros,
          candidateMicros / baseMicros,
          candidateMicros - baseMicros);
    }
    double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        "%s: median ratio %s/%s %.2f (range %.2f-%.2f) over %d rounds%n",
        label,
        candidateName,
        baselineName,
        sorted[sorted.length / 2],
        sorted[0],
        sorted[sorted.length - 1],
        ROUNDS);
  }

  /** Calls one at a time for {@code duration}; the mean latency in microseconds. */
  private static double loop(GatewayFixture fixture, Duration duration) {
    PredictRequest call = request(MODEL);
    InferenceGrpc.InferenceBlockingStub stub = InferenceGrpc.newBlockingStub(fixture.channel);
    long end = System.nanoTime() + duration.toNanos();
    long calls = 0;
    long totalNanos = 0;
    while (System.nanoTime() < end) {
      long start = System.nanoTime();
      stub.withDeadlineAfter(5, TimeUnit.SECONDS).predict(call);
      totalNanos += System.nanoTime() - start;
      calls++;
    }
    return totalNanos / 1e3 / calls;
  }
}
