package dev.meridian.deploy.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends Predict calls for a fixed time, either open-loop at a fixed rate (latency counted from when
 * each call was due, so a stalled server cannot hide its queue: no coordinated omission) or
 * closed-loop with a fixed number of calls in flight. Bounded in count and time: it stops by itself
 * and waits at most the call timeout for stragglers.
 */
public final class LoadGenerator {
  private final InferenceGrpc.InferenceFutureStub stub;
  private final PredictRequest request;
  private final Duration callTimeout;
  private final BenchResults results;

  /** Creates a generator that records into {@code results}. */
  public LoadGenerator(
      InferenceGrpc.InferenceFutureStub stub,
      PredictRequest request,
      Duration callTimeout,
      BenchResults results) {
    this.stub = stub;
    this.request = request;
    this.callTimeout = callTimeout;
    this.results = results;
  }

  /** Sends {@code ratePerSecond} calls a second for {@code duration}. */
  public void openLoop(int ratePerSecond, Duration duration) throws InterruptedException {
    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
    long calls = duration.toNanos() / intervalNanos;
    CountDownLatch outstanding = new CountDownLatch(Math.toIntExact(calls));
    long start = System.nanoTime();
    for (long i = 0; i < calls; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      send(due, outstanding::countDown);
    }
    if (!outstanding.await(callTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
      System.err.println("bench: some calls did not finish within the call timeout");
    }
  }

  /** Keeps {@code concurrency} calls in flight for {@code duration}. */
  public void closedLoop(int concurrency, Duration duration) throws InterruptedException {
    Semaphore slots = new Semaphore(concurrency);
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      if (slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        send(System.nanoTime(), slots::release);
      }
    }
    if (!slots.tryAcquire(concurrency, callTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
      System.err.println("bench: some calls did not finish within the call timeout");
    }
  }

  private void send(long startNanos, Runnable done) {
    Futures.addCallback(
        stub.withDeadlineAfter(callTimeout.toNanos(), TimeUnit.NANOSECONDS).predict(request),
        new FutureCallback<PredictResponse>() {
          @Override
          public void onSuccess(PredictResponse response) {
            results.record(
                System.nanoTime() - startNanos,
                "OK",
                response.getServedBy().getPath().name().replace("SERVING_PATH_", ""),
                response.getServedBy().getAttempts());
            done.run();
          }

          @Override
          public void onFailure(Throwable error) {
            results.record(
                System.nanoTime() - startNanos,
                Status.fromThrowable(error).getCode().name(),
                "",
                0);
            done.run();
          }
        },
        MoreExecutors.directExecutor());
  }
}
