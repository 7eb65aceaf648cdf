package dev.meridian.deploy.gameday;

import dev.meridian.deploy.bench.CallOutcome;

/**
 * What a fault hits, a region (e.g. {@code us-east}) or one replica (its registry ID, e.g. {@code
 * eu-west-fraud-score-0}), matched against how the gateway says each call was served.
 *
 * @param name the region or replica
 */
public record Target(String name) {
  /** Whether {@code call} was answered there. */
  public boolean served(CallOutcome call) {
    return call.region().equals(name) || call.replica().equals(name);
  }

  /**
   * Whether {@code call} was answered there or tried there first: the gateway names every failed
   * attempt's region (and replica) in the call's reason.
   */
  public boolean touched(CallOutcome call) {
    return served(call) || call.reason().contains(name);
  }
}
