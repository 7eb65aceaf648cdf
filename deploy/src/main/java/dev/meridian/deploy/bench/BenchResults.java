package dev.meridian.deploy.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a benchmark run saw: a latency histogram (HdrHistogram, microsecond resolution, up to a
 * minute), and counts of calls by gRPC status and by how the gateway served them. Thread-safe: many
 * threads record; {@link #snapshot()} can be taken while they do.
 */
public final class BenchResults implements CallSink {
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

  private final Recorder recorder = new Recorder(MAX_MICROS, 3);
  private final Histogram total = new Histogram(MAX_MICROS, 3);
  private final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byPath = new ConcurrentHashMap<>();
  private final LongAdder attempts = new LongAdder();

  @Override
  public void record(CallOutcome call) {
    recorder.recordValue(Math.min(MAX_MICROS, Math.max(1, call.latencyNanos() / 1000)));
    byStatus.computeIfAbsent(call.status(), key -> new LongAdder()).increment();
    if (!call.path().isEmpty()) {
      byPath.computeIfAbsent(call.path(), key -> new LongAdder()).increment();
    }
    attempts.add(call.attempts());
  }

  /** Folds what was recorded since the last call into the totals and returns the interval. */
  public synchronized Histogram interval() {
    Histogram interval = recorder.getIntervalHistogram();
    total.add(interval);
    return interval;
  }

  /** The totals so far. */
  public synchronized Summary snapshot() {
    interval();
    return new Summary(total.copy(), counts(byStatus), counts(byPath), attempts.sum());
  }

  private static Map<String, Long> counts(Map<String, LongAdder> adders) {
    Map<String, Long> counts = new TreeMap<>();
    adders.forEach((key, adder) -> counts.put(key, adder.sum()));
    return counts;
  }

  /**
   * Totals of a run.
   *
   * @param latencyMicros every call's latency in microseconds
   * @param byStatus calls by gRPC status code
   * @param byPath successful calls by serving path (PRIMARY, RETRY, HEDGE, FALLBACK_MODEL, ...)
   * @param upstreamAttempts upstream attempts the gateway reported, summed
   */
  public record Summary(
      Histogram latencyMicros,
      Map<String, Long> byStatus,
      Map<String, Long> byPath,
      long upstreamAttempts) {
    /** The number of calls. */
    public long calls() {
      return latencyMicros.getTotalCount();
    }

    /** Calls that did not end OK. */
    public long failed() {
      return calls() - byStatus.getOrDefault("OK", 0L);
    }
  }
}
