package dev.meridian.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.FeatureSources;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServingPath;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The demo cards the topology seeds into every feature store, called one by one through the
 * gateway: a stale card, a partial one (which the confidence rule hands to the fallback model), an
 * unknown one and a key of the wrong type, each with what it must answer; and the lookup's cost end
 * to end, calls by card and by tensor taken in turn.
 */
final class DemoCards {
  private static final int COST_CALLS = 400;

  /** Checks what each demo card answers. */
  void checkTheDemoCards(ManagedChannel channel) throws InterruptedException {
    try {
      InferenceGrpc.InferenceBlockingStub gateway = stub(channel);
      FeatureSources stale = gateway.predict(DemoModels.byCard("c-2001")).getFeatures();
      assertThat(stale)
          .as("c-2001, 3 h old: two features stale, velocity_1h past its 2 h limit")
          .isEqualTo(
              FeatureSources.newBuilder()
                  .setPrimary(3)
                  .setDefaults(1)
                  .setStale(2)
                  .setOldestAgeMillis(stale.getOldestAgeMillis())
                  .build());
      assertThat(stale.getOldestAgeMillis()).isGreaterThan(TimeUnit.HOURS.toMillis(3));
      PredictResponse partial = gateway.predict(DemoModels.byCard("c-3001"));
      assertThat(partial.getFeatures().getDefaults()).as("c-3001 has 2 of 4 features").isEqualTo(2);
      assertThat(partial.getServedBy().getPath())
          .isEqualTo(ServingPath.SERVING_PATH_LOW_CONFIDENCE);
      assertThat(partial.getModelName()).isEqualTo(DemoModels.FALLBACK);
      assertThat(partial.getServedBy().getReason())
          .startsWith(DemoModels.MODEL + " confidence 0.5");
      assertThat(failure(gateway, DemoModels.byCard("c-404")).getCode())
          .isEqualTo(Status.Code.NOT_FOUND);
      PredictRequest wrongType =
          PredictRequest.newBuilder()
              .setModelName(DemoModels.MODEL)
              .addInputs(
                  Tensor.newBuilder()
                      .setName("card_id")
                      .setDatatype(DataType.DATA_TYPE_FP32)
                      .addShape(1)
                      .setContents(TensorContents.newBuilder().addFp32Contents(1001)))
              .build();
      Status invalid = failure(gateway, wrongType);
      assertThat(invalid.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(invalid.getDescription()).contains("'card_id' must hold entity keys");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * The gateway's latency by card (with the lookup) and by tensor (without), calls of the two kinds
   * in turn, one at a time: {@code by card p50/p99 X/Y ms, by tensor p50/p99 X/Y ms}.
   */
  String lookupCost(ManagedChannel channel) throws InterruptedException {
    try {
      InferenceGrpc.InferenceBlockingStub gateway = stub(channel);
      PredictRequest[] kinds = {DemoModels.byCard("c-1001"), DemoModels.request()};
      Histogram[] latency = {new Histogram(3), new Histogram(3)};
      for (int call = 0; call < 2 * COST_CALLS; call++) {
        int kind = call % 2;
        long start = System.nanoTime();
        gateway.predict(kinds[kind]);
        latency[kind].recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
      }
      return String.format(
          Locale.ROOT,
          "gateway end to end by card p50/p99 %.2f/%.2f ms, by tensor %.2f/%.2f ms (%d each, in"
              + " turn)",
          latency[0].getValueAtPercentile(50) / 1000.0,
          latency[0].getValueAtPercentile(99) / 1000.0,
          latency[1].getValueAtPercentile(50) / 1000.0,
          latency[1].getValueAtPercentile(99) / 1000.0,
          COST_CALLS);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static InferenceGrpc.InferenceBlockingStub stub(ManagedChannel channel) {
    return InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static Status failure(
      InferenceGrpc.InferenceBlockingStub gateway, PredictRequest request) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> gateway.predict(request));
    assertThat(e)
        .as("expected %s to fail", Arrays.toString(request.getInputsList().toArray()))
        .isNotNull();
    return e.getStatus();
  }
}
