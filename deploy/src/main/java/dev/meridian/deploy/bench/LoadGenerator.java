package dev.meridian.deploy.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.meridian.proto.inference.v1.FeatureSources;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServedBy;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends Predict calls for a fixed time, either open-loop at a fixed rate (latency counted from when
 * each call was due, so a stalled server cannot hide its queue: no coordinated omission) or
 * closed-loop with a fixed number of calls in flight. Bounded in count and time: it stops by itself
 * (or when {@link #stop()} is called) and waits at most the call timeout for stragglers. Every
 * finished call goes to the {@link CallSink}.
 */
public final class LoadGenerator {
  private final InferenceClient client;
  private final PredictRequest request;
  private final Duration callTimeout;
  private final CallSink sink;
  private volatile boolean stopped;

  /** Creates a generator that records every finished call into {@code sink}. */
  public LoadGenerator(
      InferenceClient client, PredictRequest request, Duration callTimeout, CallSink sink) {
    this.client = client;
    this.request = request;
    this.callTimeout = callTimeout;
    this.sink = sink;
  }

  /**
   * Sends {@code ratePerSecond} calls a second for {@code duration}, or until {@link #stop()}, then
   * waits for the calls in flight.
   */
  public void openLoop(int ratePerSecond, Duration duration) throws InterruptedException {
    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
    long calls = duration.toNanos() / intervalNanos;
    // Each finished call releases a permit; the run is over when every call sent has released one.
    Semaphore finished = new Semaphore(0);
    int sent = 0;
    long start = System.nanoTime();
    for (; sent < calls && !stopped; sent++) {
      long due = start + sent * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      send(due, finished::release);
    }
    if (!finished.tryAcquire(sent, callTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
      System.err.println("bench: some calls did not finish within the call timeout");
    }
  }

  /** Keeps {@code concurrency} calls in flight for {@code duration}, or until {@link #stop()}. */
  public void closedLoop(int concurrency, Duration duration) throws InterruptedException {
    Semaphore slots = new Semaphore(concurrency);
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end && !stopped) {
      if (slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        send(System.nanoTime(), slots::release);
      }
    }
    if (!slots.tryAcquire(concurrency, callTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
      System.err.println("bench: some calls did not finish within the call timeout");
    }
  }

  /** Ends a run early: no further call is sent; the calls in flight still finish. Thread-safe. */
  public void stop() {
    stopped = true;
  }

  private void send(long startNanos, Runnable done) {
    Futures.addCallback(
        client.call(request, callTimeout),
        new FutureCallback<PredictResponse>() {
          @Override
          public void onSuccess(PredictResponse response) {
            ServedBy servedBy = response.getServedBy();
            sink.record(
                new CallOutcome(
                    startNanos,
                    System.nanoTime(),
                    CallOutcome.OK,
                    servedBy.getRegion(),
                    servedBy.getReplica(),
                    servedBy.getPath().name().replace("SERVING_PATH_", ""),
                    servedBy.getAttempts(),
                    servedBy.getReason(),
                    response.getFeatures()));
            done.run();
          }

          @Override
          public void onFailure(Throwable error) {
            Status status = Status.fromThrowable(error);
            sink.record(
                new CallOutcome(
                    startNanos,
                    System.nanoTime(),
                    status.getCode().name(),
                    "",
                    "",
                    "",
                    0,
                    String.valueOf(status.getDescription()),
                    FeatureSources.getDefaultInstance()));
            done.run();
          }
        },
        MoreExecutors.directExecutor());
  }
}
