package dev.meridian.deploy.gameday;

import dev.meridian.deploy.bench.CallOutcome;
import dev.meridian.deploy.bench.CallSink;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every call of a run, kept so that a scenario can wait on what callers see (e.g. until a region
 * serves again) and compute its figures afterwards. Thread-safe: gRPC threads record while the
 * scenario reads.
 */
public final class CallLog implements CallSink {
  private final ConcurrentLinkedQueue<CallOutcome> calls = new ConcurrentLinkedQueue<>();

  /** An empty log. */
  public CallLog() {}

  @Override
  public void record(CallOutcome call) {
    calls.add(call);
  }

  /** The calls recorded so far, in the order they were due. */
  public List<CallOutcome> calls() {
    return calls.stream().sorted(Comparator.comparingLong(CallOutcome::dueNanos)).toList();
  }

  /** Whether a call due at or after {@code sinceNanos} was answered by {@code target}. */
  public boolean servedBy(Target target, long sinceNanos) {
    return calls.stream().anyMatch(call -> call.dueNanos() >= sinceNanos && target.served(call));
  }

  /** Whether no call due within the last {@code windowNanos} reached {@code target} at all. */
  public boolean untouchedFor(Target target, long windowNanos) {
    long since = System.nanoTime() - windowNanos;
    return calls.stream().noneMatch(call -> call.dueNanos() >= since && target.touched(call));
  }
}
