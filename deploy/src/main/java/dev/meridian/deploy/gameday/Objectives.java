package dev.meridian.deploy.gameday;

import dev.meridian.deploy.bench.CallOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The objectives Meridian is held to — availability 99.9 %, p99 under 200 ms, errors under 0.1 %,
 * recovery within 5 minutes — and a run's figures judged against them. A degraded answer (fallback
 * model or default response) counts as lost: a game day's faults leave some region able to answer.
 */
public final class Objectives {
  /** Share of calls answered, and not degraded. */
  public static final double AVAILABILITY = 0.999;

  /** The 99th percentile latency of the calls due while the fault lasted. */
  public static final Duration P99 = Duration.ofMillis(200);

  /** Share of calls that failed. */
  public static final double ERRORS = 0.001;

  /** How long calls may go on being lost: from the first lost call to the last. */
  public static final Duration RECOVERY = Duration.ofMinutes(5);

  private Objectives() {}

  /**
   * One objective, met or not.
   *
   * @param objective its name
   * @param target what it asks, for people
   * @param measured what the run did, for people
   * @param met whether the run met it
   */
  public record Verdict(String objective, String target, String measured, boolean met) {}

  /** {@code figures} of {@code run} against each objective. */
  public static List<Verdict> judge(Figures figures, ScenarioRunner.Run run) {
    double calls = Math.max(1, figures.calls());
    double available = 1 - (figures.failed() + figures.degraded()) / calls;
    double errors = figures.failed() / calls;
    Duration lostFor = lostFor(run.calls());
    return List.of(
        new Verdict(
            "availability", percent(AVAILABILITY), percent(available), available >= AVAILABILITY),
        new Verdict(
            "latency",
            "p99 < " + P99.toMillis() + " ms",
            String.format(Locale.ROOT, "p99 %.1f ms", figures.p99DuringMs()),
            figures.p99DuringMs() < P99.toMillis()),
        new Verdict("errors", "< " + percent(ERRORS), percent(errors), errors < ERRORS),
        new Verdict(
            "recovery",
            "calls lost for < " + RECOVERY.toMinutes() + " min",
            String.format(Locale.ROOT, "%.1f s", lostFor.toMillis() / 1000.0),
            lostFor.compareTo(RECOVERY) < 0));
  }

  /** From the first lost call (failed or degraded) to the last, by when they were due. */
  static Duration lostFor(List<CallOutcome> calls) {
    OptionalLong first =
        calls.stream().filter(Objectives::lost).mapToLong(CallOutcome::dueNanos).min();
    OptionalLong last =
        calls.stream().filter(Objectives::lost).mapToLong(CallOutcome::dueNanos).max();
    return first.isEmpty() ? Duration.ZERO : Duration.ofNanos(last.getAsLong() - first.getAsLong());
  }

  private static boolean lost(CallOutcome call) {
    return !call.ok() || FigureCalculator.degraded(call);
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.3f %%", share * 100);
  }
}
