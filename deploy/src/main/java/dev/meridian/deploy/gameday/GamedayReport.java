package dev.meridian.deploy.gameday;

import com.google.gson.GsonBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one game day showed: the fault, what callers saw before, during and after it, how soon
 * traffic left the target and came back, and each objective met or missed.
 *
 * @param scenario the scenario's name
 * @param fault what was broken
 * @param figures what callers saw
 * @param objectives each objective, met or not
 */
public record GamedayReport(
    String scenario, String fault, Figures figures, List<Objectives.Verdict> objectives) {
  /** Judges {@code run} of {@code fault} against the objectives. */
  public static GamedayReport of(String scenario, Fault fault, ScenarioRunner.Run run) {
    Figures figures =
        FigureCalculator.compute(0, fault.describe(), run, Optional.of(fault.target()), "");
    return new GamedayReport(
        scenario, fault.describe(), figures, List.copyOf(Objectives.judge(figures, run)));
  }

  /** Whether every objective was met. */
  public boolean passed() {
    return objectives.stream().allMatch(Objectives.Verdict::met);
  }

  /** The report as JSON, for machines. */
  public String json() {
    return new GsonBuilder()
            .setPrettyPrinting()
            .serializeNulls()
            .disableHtmlEscaping()
            .create()
            .toJson(this)
        + "\n";
  }

  /** The report for people. */
  public String text() {
    Figures f = figures;
    return String.format(
            Locale.ROOT,
            """
            game day %s: %s
              calls %d, failed %d, degraded %d (%s)
              p99 before %.1f ms, during %.1f ms (max %.1f ms), after %.1f ms
              traffic left the target after %s, last call into it %s, came back %s after the heal
            """,
            scenario,
            fault,
            f.calls(),
            f.failed(),
            f.degraded(),
            f.outcomes().entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", ")),
            f.p99BeforeMs(),
            f.p99DuringMs(),
            f.maxDuringMs(),
            f.p99AfterMs(),
            millis(f.leftMs()),
            millis(f.lastTouchMs()),
            millis(f.returnedMs()))
        + objectives.stream()
            .map(
                verdict ->
                    String.format(
                        Locale.ROOT,
                        "  %-12s %-5s %s (objective %s)%n",
                        verdict.objective(),
                        verdict.met() ? "PASS" : "FAIL",
                        verdict.measured(),
                        verdict.target()))
            .collect(Collectors.joining())
        + (f.failed() > 0 ? "  failures: " + f.failures() + "\n" : "")
        + (passed() ? "PASSED\n" : "FAILED\n");
  }

  private static String millis(Long value) {
    return value == null ? "—" : value + " ms";
  }
}
