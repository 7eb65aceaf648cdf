package dev.meridian.agent.launch;

import dev.meridian.agent.health.CanaryRequest;
import dev.meridian.agent.replica.ReplicaServer;
import dev.meridian.agent.replica.ServedModel;
import dev.meridian.core.Ticker;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a just-started replica's first calls itself, before it reports ready: canary Predicts for
 * each model it serves, over a real channel to its own advertised address (the one the gateway
 * dials), so that gRPC, validation and the model are compiled by the time anyone else calls. A cold
 * JVM answers its first calls in hundreds of milliseconds; TF Serving and Triton warm models up
 * before serving for the same reason.
 */
final class ReplicaWarmUp {
  private static final Logger logger = LoggerFactory.getLogger(ReplicaWarmUp.class);

  private ReplicaWarmUp() {}

  /**
   * Sends {@code requests} calls to each model {@code server} serves, one at a time, all within
   * {@code timeout}, through {@code advertiseHost} and the server's port; logs one {@code
   * event=replica_warmed_up} line per model.
   *
   * @throws IllegalStateException when a call fails, saying which and why
   */
  static void run(
      ReplicaServer server, String advertiseHost, int requests, Duration timeout, Ticker ticker) {
    if (requests == 0) {
      return;
    }
    ManagedChannel channel =
        server.security().channel(advertiseHost, server.port(), TlsPeer.REPLICA).build();
    try {
      InferenceGrpc.InferenceBlockingStub stub =
          InferenceGrpc.newBlockingStub(channel)
              .withDeadline(Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS));
      for (ServedModel model : server.models()) {
        warm(stub, server.identity().replicaId(), model, requests, ticker);
      }
    } finally {
      channel.shutdownNow();
    }
  }

  private static void warm(
      InferenceGrpc.InferenceBlockingStub stub,
      String replicaId,
      ServedModel model,
      int requests,
      Ticker ticker) {
    PredictRequest request =
        CanaryRequest.build(
            model.name(), "warm-up-" + replicaId, model.answering().signature().inputs());
    long[] tookNanos = new long[requests];
    long start = ticker.nanoTime();
    for (int i = 0; i < requests; i++) {
      long callStart = ticker.nanoTime();
      try {
        stub.predict(request);
      } catch (StatusRuntimeException e) {
        throw new IllegalStateException(
            "warm-up call " + (i + 1) + " of " + requests + " failed: " + e.getMessage(), e);
      }
      tookNanos[i] = ticker.nanoTime() - callStart;
    }
    long took = ticker.nanoTime() - start;
    long first = tookNanos[0];
    long last = tookNanos[requests - 1];
    Arrays.sort(tookNanos);
    logger
        .atInfo()
        .addKeyValue("event", "replica_warmed_up")
        .addKeyValue("replica", replicaId)
        .addKeyValue("model", model.name())
        .addKeyValue("requests", requests)
        .addKeyValue("took_ms", TimeUnit.NANOSECONDS.toMillis(took))
        .addKeyValue("first_us", TimeUnit.NANOSECONDS.toMicros(first))
        .addKeyValue("p50_us", TimeUnit.NANOSECONDS.toMicros(tookNanos[requests / 2]))
        .addKeyValue("last_us", TimeUnit.NANOSECONDS.toMicros(last))
        .log("replica warmed up");
  }
}
