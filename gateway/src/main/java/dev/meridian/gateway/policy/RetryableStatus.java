package dev.meridian.gateway.policy;

import io.grpc.Status;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which upstream failures say "this region cannot answer now" and so justify trying another region.
 * Anything else (bad input, unknown model, a model error) would fail the same way everywhere, goes
 * straight back to the caller, and never counts against a region.
 */
public final class RetryableStatus {
  private static final Set<Status.Code> RETRYABLE =
      EnumSet.of(
          Status.Code.UNAVAILABLE,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED,
          Status.Code.DEADLINE_EXCEEDED);

  private RetryableStatus() {}

  /** Returns whether a call that failed with {@code code} may be tried in another region. */
  public static boolean isRetryable(Status.Code code) {
    return RETRYABLE.contains(code);
  }
}
