package dev.meridian.agent.replica;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.Ticker;
import dev.meridian.core.metrics.BucketHistogram;
import dev.meridian.core.metrics.MetricNames;
import io.grpc.Status;
import java.util.function.IntSupplier;

/**
 * The Predict metrics of one model on one replica, in an injected registry: {@code
 * replica.latency{model,replica}} (a timer of every call that reached the model), {@code
 * replica.errors{code,model,replica}} (calls that failed, by status code) and {@code
 * replica.in_flight{model,replica}} (calls running now). Thread-safe.
 */
public final class ReplicaMetrics {
  private final MetricRegistry registry;
  private final String model;
  private final String replica;
  private final Ticker ticker;
  private final BucketHistogram latency;

  /**
   * Registers the metrics of {@code model} on {@code replica}.
   *
   * @param inFlight reads the number of calls running now
   */
  public ReplicaMetrics(
      MetricRegistry registry, String model, String replica, Ticker ticker, IntSupplier inFlight) {
    this.registry = registry;
    this.model = model;
    this.replica = replica;
    this.ticker = ticker;
    this.latency = BucketHistogram.latency(registry, name("replica.call.duration.seconds"));
    // A restarted replica brings a new limit to read: replace the gauge rather than keep the old.
    String inFlightName = name("replica.in_flight");
    registry.remove(inFlightName);
    registry.register(inFlightName, (Gauge<Integer>) inFlight::getAsInt);
  }

  private String name(String base) {
    return MetricNames.tagged(base, "model", model, "replica", replica);
  }

  /** The current reading of the ticker, to pass to {@link #record} when the call ends. */
  public long start() {
    return ticker.nanoTime();
  }

  /** Records a call that began at {@code startNanos} and ended with {@code status}. */
  public void record(long startNanos, Status status) {
    latency.observeNanos(ticker.nanoTime() - startNanos);
    if (!status.isOk()) {
      errors(status.getCode()).inc();
    }
  }

  private Counter errors(Status.Code code) {
    return registry.counter(
        MetricNames.tagged(
            "replica.errors", "code", code.name(), "model", model, "replica", replica));
  }
}
