package dev.meridian.core;

/**
 * A source of monotonic time, injected wherever timing logic lives so that tests can drive it
 * (after grpc-java's {@code Ticker}). Only differences between two readings mean anything.
 */
@FunctionalInterface
public interface Ticker {
  /** The system's monotonic clock, {@link System#nanoTime()}. */
  Ticker SYSTEM = System::nanoTime;

  /** Returns the current reading in nanoseconds. */
  long nanoTime();
}
