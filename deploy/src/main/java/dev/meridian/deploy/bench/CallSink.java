package dev.meridian.deploy.bench;

/** Receives every call the load generator finishes. Implementations must be thread-safe. */
@FunctionalInterface
public interface CallSink {
  /** Records one finished call; called on gRPC threads, so it must not block. */
  void record(CallOutcome call);

  /** A sink that records into this one, then into {@code next}. */
  default CallSink andThen(CallSink next) {
    return call -> {
      record(call);
      next.record(call);
    };
  }
}
