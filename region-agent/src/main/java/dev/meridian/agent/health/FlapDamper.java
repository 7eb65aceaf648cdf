package dev.meridian.agent.health;

import java.util.Locale;

/**
 * Turns a stream of probe results into the status reported to Consul, so that one odd probe does
 * not flip a replica in and out of routing. As Consul's own agent does ({@code agent/checks/
 * check.go}): a passing or warning result is reported only after {@code successesBeforePassing}
 * consecutive non-critical results, and a critical one only after {@code failuresBeforeCritical}
 * consecutive critical results; until then the previous status holds, with the latest output and
 * the streak so far. A result of the status already reported is reported as it is. Starts critical,
 * as a newly registered check does.
 *
 * <p>Not thread-safe: each replica's supervisor feeds its damper from one thread.
 */
public final class FlapDamper {
  private final int successesBeforePassing;
  private final int failuresBeforeCritical;
  private HealthStatus reported = HealthStatus.CRITICAL;
  private int successes;
  private int failures;

  /**
   * Creates a damper.
   *
   * @throws IllegalArgumentException if a threshold is not positive
   */
  public FlapDamper(int successesBeforePassing, int failuresBeforeCritical) {
    if (successesBeforePassing < 1 || failuresBeforeCritical < 1) {
      throw new IllegalArgumentException(
          "thresholds: "
              + successesBeforePassing
              + ", "
              + failuresBeforeCritical
              + " (expected: both >= 1)");
    }
    this.successesBeforePassing = successesBeforePassing;
    this.failuresBeforeCritical = failuresBeforeCritical;
  }

  /** Forgets every result: the replica is critical again until it proves itself. */
  public void reset() {
    reported = HealthStatus.CRITICAL;
    successes = 0;
    failures = 0;
  }

  /** Takes one probe result and returns what to report now. */
  public CheckUpdate record(CheckUpdate probe) {
    if (probe.status() == HealthStatus.CRITICAL) {
      failures++;
      successes = 0;
      if (failures >= failuresBeforeCritical || reported == HealthStatus.CRITICAL) {
        reported = HealthStatus.CRITICAL;
        return probe;
      }
      return held(probe, failures + " of " + failuresBeforeCritical + " failed probes to critical");
    }
    successes++;
    failures = 0;
    if (successes >= successesBeforePassing || reported == probe.status()) {
      reported = probe.status();
      return probe;
    }
    return held(
        probe,
        successes
            + " of "
            + successesBeforePassing
            + " good probes to "
            + probe.status().name().toLowerCase(Locale.ROOT));
  }

  private CheckUpdate held(CheckUpdate probe, String streak) {
    return new CheckUpdate(reported, probe.output() + " (" + streak + ")");
  }
}
