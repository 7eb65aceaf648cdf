package dev.meridian.gateway;

import static dev.meridian.gateway.GatewayFixture.EU;
import static dev.meridian.gateway.GatewayFixture.MODEL;
import static dev.meridian.gateway.GatewayFixture.request;
import static org.awaitility.Awaitility.await;

import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What TLS on both hops costs a call: a plaintext gateway and a TLS one (callers and replicas with
 * certificates), each with one scripted replica, side by side in one JVM; after a warm-up, {@value
 * #ROUNDS} interleaved rounds of one call in flight, so machine noise hits both alike. Prints each
 * round and the median ratio. A benchmark, not part of the suite (surefire runs only {@code *Test}
 * classes):
 *
 * <pre>
 * mvn -B -pl gateway -am test -Dtest=TlsOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class TlsOverheadBenchmark {
  private static final int ROUNDS = 5;
  private static final Duration WARM_UP = Duration.ofSeconds(10);
  private static final Duration ROUND = Duration.ofSeconds(4);

  @TempDir Path directory;

  @Test
  void tlsAgainstPlaintextOneCallInFlight() {
    try (GatewayFixture plaintext = new GatewayFixture();
        GatewayFixture tls = new GatewayFixture(directory.resolve("tls"))) {
      start(plaintext, "plaintext");
      start(tls, "tls");
      List<Double> ratios = new ArrayList<>();
      for (int round = 1; round <= ROUNDS; round++) {
        double plainMicros = loop(plaintext, ROUND);
        double tlsMicros = loop(tls, ROUND);
        ratios.add(tlsMicros / plainMicros);
        System.out.printf(
            "tls-overhead: round %d: plaintext mean %.0f us, tls mean %.0f us, ratio %.2f,"
                + " added %.0f us%n",
            round, plainMicros, tlsMicros, tlsMicros / plainMicros, tlsMicros - plainMicros);
      }
      double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf(
          "tls-overhead: median ratio tls/plaintext %.2f (range %.2f-%.2f) over %d rounds%n",
          sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], ROUNDS);
    }
  }

  private void start(GatewayFixture fixture, String name) {
    fixture.replica(EU, MODEL);
    fixture.table(MODEL, 100, 0);
    fixture.startGateway(directory.resolve(name + "-routing.json"), config -> config);
    await(name + " gateway sees its replica")
        .atMost(Duration.ofSeconds(20))
        .until(() -> fixture.seesReplicas(1));
    loop(fixture, WARM_UP);
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
