package dev.meridian.gateway;

import static dev.meridian.gateway.GatewayFixture.EU;
import static dev.meridian.gateway.GatewayFixture.MODEL;
import static dev.meridian.gateway.GatewayFixture.request;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.InferTensorContents;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Open Inference Protocol costs a call at the gateway compared with {@code Predict}: one
 * gateway, one scripted replica (called through {@code Predict} either way, so the difference is
 * the gateway's translation), the same four-element FP32 input; after a warm-up, {@value #ROUNDS}
 * interleaved rounds of one call in flight each of {@code Predict}, {@code ModelInfer} with typed
 * contents and {@code ModelInfer} with raw contents, so machine noise hits all alike. Prints each
 * round and the median ratios. A benchmark, not part of the suite (surefire runs only {@code *Test}
 * classes):
 *
 * <pre>
 * mvn -B -pl gateway -am test -Dtest=OipOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class OipOverheadBenchmark {
  private static final int ROUNDS = 5;
  private static final Duration WARM_UP = Duration.ofSeconds(10);
  private static final Duration ROUND = Duration.ofSeconds(4);
  private static final float[] FEATURES = {0.5f, 1.2f, 0.3f, 2f};

  @TempDir Path directory;

  @Test
  void modelInferAgainstPredictOneCallInFlight() {
    try (GatewayFixture fixture = new GatewayFixture()) {
      fixture.replica(EU, MODEL);
      fixture.table(MODEL, 100, 0);
      fixture.startGateway(directory.resolve("routing.json"), config -> config);
      await().atMost(Duration.ofSeconds(20)).until(() -> fixture.seesReplicas(1));
      InferenceGrpc.InferenceBlockingStub predict = InferenceGrpc.newBlockingStub(fixture.channel);
      GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub oip =
          GRPCInferenceServiceGrpc.newBlockingStub(fixture.channel);
      PredictRequest predictCall = features(request(MODEL));
      ModelInferRequest typedCall = typed();
      ModelInferRequest rawCall = raw();
      List<Supplier<Object>> paths =
          List.of(
              () -> predict.withDeadlineAfter(5, TimeUnit.SECONDS).predict(predictCall),
              () -> oip.withDeadlineAfter(5, TimeUnit.SECONDS).modelInfer(typedCall),
              () -> oip.withDeadlineAfter(5, TimeUnit.SECONDS).modelInfer(rawCall));
      alternate(paths, WARM_UP);
      List<Double> typedRatios = new ArrayList<>();
      List<Double> rawRatios = new ArrayList<>();
      for (int round = 1; round <= ROUNDS; round++) {
        double[] micros = alternate(paths, ROUND);
        typedRatios.add(micros[1] / micros[0]);
        rawRatios.add(micros[2] / micros[0]);
        System.out.printf(
            "oip-overhead: round %d: Predict mean %.0f us, ModelInfer typed %.0f us (%.2f),"
                + " raw %.0f us (%.2f)%n",
            round, micros[0], micros[1], micros[1] / micros[0], micros[2], micros[2] / micros[0]);
      }
      System.out.printf(
          "oip-overhead: median ratio ModelInfer/Predict typed %s, raw %s over %d rounds%n",
          median(typedRatios), median(rawRatios), ROUNDS);
    }
  }

  private static PredictRequest features(PredictRequest request) {
    PredictRequest.Builder builder = request.toBuilder();
    builder.getInputsBuilder(0).clearShape().addShape(1).addShape(FEATURES.length);
    builder.getInputsBuilder(0).getContentsBuilder().clearFp32Contents();
    for (float value : FEATURES) {
      builder.getInputsBuilder(0).getContentsBuilder().addFp32Contents(value);
    }
    return builder.build();
  }

  private static InferInputTensor.Builder input() {
    return InferInputTensor.newBuilder()
        .setName("features")
        .setDatatype("FP32")
        .addShape(1)
        .addShape(FEATURES.length);
  }

  private static ModelInferRequest typed() {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float value : FEATURES) {
      contents.addFp32Contents(value);
    }
    return ModelInferRequest.newBuilder()
        .setModelName(MODEL)
        .addInputs(input().setContents(contents))
        .build();
  }

  private static ModelInferRequest raw() {
    ByteBuffer bytes =
        ByteBuffer.allocate(FEATURES.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : FEATURES) {
      bytes.putFloat(value);
    }
    bytes.flip();
    return ModelInferRequest.newBuilder()
        .setModelName(MODEL)
        .addInputs(input())
        .addRawInputContents(ByteString.copyFrom(bytes))
        .build();
  }

  private static String median(List<Double> ratios) {
    double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(
        "%.2f (range %.2f-%.2f)", sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
  }

  /**
   * Calls one at a time for {@code duration}, each path in turn, so that noise hits every path
   * alike; the mean latency of each path in microseconds.
   */
  private static double[] alternate(List<Supplier<Object>> paths, Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    long[] totalNanos = new long[paths.size()];
    long rounds = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < paths.size(); i++) {
        long start = System.nanoTime();
        paths.get(i).get();
        totalNanos[i] += System.nanoTime() - start;
      }
      rounds++;
    }
    double[] micros = new double[paths.size()];
    for (int i = 0; i < micros.length; i++) {
      micros[i] = totalNanos[i] / 1e3 / rounds;
    }
    return micros;
  }
}
