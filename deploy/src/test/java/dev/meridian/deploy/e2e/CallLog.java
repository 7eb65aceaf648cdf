package dev.meridian.deploy.e2e;

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
final class CallLog implements CallSink {
  private final ConcurrentLinkedQueue<CallOutcome> calls = new ConcurrentLinkedQueue<>();

  @Override
  public void record(CallOutcome call) {
    calls.add(call);
  }

  /** The calls recorded so far, in the order they were due. */
  List<CallOutcome> calls() {
    return calls.stream().sorted(Comparator.comparingLong(CallOutcome::dueNanos)).toList();
  }

  /** Whether a call due at or after {@code sinceNanos} was answered by {@code target}. */
  boolean servedBy(Target target, long sinceNanos) {
    return calls.stream().anyMatch(call -> call.dueNanos() >= sinceNanos && target.served(call));
  }

  /** Whether no call due within the last {@code windowNanos} reached {@code target} at all. */
  boolean untouchedFor(Target target, long windowNanos) {
    long since = System.nanoTime() - windowNanos;
    return calls.stream().noneMatch(call -> call.dueNanos() >= since && target.touched(call));
  }
}
