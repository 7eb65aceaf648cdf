package dev.meridian.deploy.gameday;

import dev.meridian.deploy.bench.CallOutcome;
import dev.meridian.deploy.gameday.Timeline.Event;
import java.time.Duration;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** Computes a scenario's {@link Figures} from its run. Stateless. */
public final class FigureCalculator {
  /** Traffic has left a target once it has gone this long without a call reaching it. */
  public static final Duration GAP = Duration.ofSeconds(1);

  private static final Set<String> DEGRADED_PATHS = Set.of("FALLBACK_MODEL", "DEFAULT_RESPONSE");

  private FigureCalculator() {}

  /**
   * The figures of {@code run}, whose timeline has at least {@link Event#FAULT}, {@link Event#HEAL}
   * and {@link Event#RECOVERED}.
   *
   * @param target the region or replica the fault hit, if it hit one
   */
  public static Figures compute(
      int number, String scenario, ScenarioRunner.Run run, Optional<Target> target, String notes) {
    Timeline timeline = run.timeline();
    long fault = timeline.at(Event.FAULT);
    long heal = timeline.at(Event.HEAL);
    List<CallOutcome> before = due(run.calls(), Long.MIN_VALUE, fault);
    long recovered = timeline.at(Event.RECOVERED);
    List<CallOutcome> during = due(run.calls(), fault, recovered);
    Histogram duringLatency = latency(during);
    List<CallOutcome> answered = during.stream().filter(CallOutcome::ok).toList();
    Optional<Long> left = target.flatMap(t -> left(run.calls(), t, fault, heal));
    // Traffic can only return to where it had left.
    Optional<Long> returned =
        left.isPresent() ? returned(run.calls(), target.orElseThrow(), heal) : Optional.empty();
    return new Figures(
        number,
        scenario,
        run.calls().size(),
        run.calls().stream().filter(call -> !call.ok()).count(),
        run.calls().stream().filter(FigureCalculator::degraded).count(),
        outcomes(run.calls()),
        p99Millis(before),
        duringLatency.getValueAtPercentile(99) / 1000.0,
        duringLatency.getMaxValue() / 1000.0,
        p99Millis(due(run.calls(), recovered, Long.MAX_VALUE)),
        answered.stream().mapToInt(CallOutcome::attempts).average().orElse(0),
        answered.stream().mapToInt(CallOutcome::attempts).max().orElse(0),
        left.orElse(null),
        target.flatMap(t -> lastTouch(run.calls(), t, fault, heal)).orElse(null),
        returned.orElse(null),
        notes,
        failures(run));
  }

  /**
   * The failed calls of {@code run} grouped by status and by the last event before they were due,
   * each group with when its calls were due (from the fault) and the first one's description.
   */
  public static String failures(ScenarioRunner.Run run) {
    long fault = run.timeline().at(Event.FAULT);
    Map<String, LongSummaryStatistics> due = new TreeMap<>();
    Map<String, String> described = new TreeMap<>();
    for (CallOutcome call : run.calls()) {
      if (call.ok()) {
        continue;
      }
      String group =
          call.status()
              + " due after "
              + run.timeline().latest(call.dueNanos()).map(Event::name).orElse("the start");
      due.computeIfAbsent(group, key -> new LongSummaryStatistics())
          .accept(TimeUnit.NANOSECONDS.toMillis(call.dueNanos() - fault));
      described.putIfAbsent(group, call.reason());
    }
    if (due.isEmpty()) {
      return "no failed calls";
    }
    return due.entrySet().stream()
        .map(
            group ->
                String.format(
                    "%d %s, from %+d to %+d ms of the fault (first: %s)",
                    group.getValue().getCount(),
                    group.getKey(),
                    group.getValue().getMin(),
                    group.getValue().getMax(),
                    described.get(group.getKey())))
        .collect(Collectors.joining("; "));
  }

  /** The share of calls due in [{@code from}, {@code to}) that match {@code which}. */
  public static double share(
      List<CallOutcome> calls, long from, long to, Predicate<CallOutcome> which) {
    List<CallOutcome> window = due(calls, from, to);
    return window.isEmpty() ? 0 : window.stream().filter(which).count() / (double) window.size();
  }

  /**
   * When traffic left the target: the last call that reached it before the first {@link #GAP}
   * without any, counted in milliseconds from the fault; empty if the gaps never came before the
   * heal.
   */
  private static Optional<Long> left(
      List<CallOutcome> calls, Target target, long fault, long heal) {
    long last = fault;
    for (CallOutcome call : due(calls, fault, heal)) {
      if (!target.touched(call)) {
        continue;
      }
      if (call.dueNanos() - last >= GAP.toNanos()) {
        break;
      }
      last = call.dueNanos();
    }
    return heal - last >= GAP.toNanos()
        ? Optional.of(TimeUnit.NANOSECONDS.toMillis(last - fault))
        : Optional.empty();
  }

  /** Whether {@code call} was answered degraded: a fallback model or the default response. */
  public static boolean degraded(CallOutcome call) {
    return call.ok() && DEGRADED_PATHS.contains(call.path());
  }

  /** From the fault until the last call due before the heal that touched the target. */
  private static Optional<Long> lastTouch(
      List<CallOutcome> calls, Target target, long fault, long heal) {
    OptionalLong last =
        due(calls, fault, heal).stream()
            .filter(target::touched)
            .mapToLong(CallOutcome::dueNanos)
            .max();
    return last.isPresent()
        ? Optional.of(TimeUnit.NANOSECONDS.toMillis(last.getAsLong() - fault))
        : Optional.empty();
  }

  /** From the heal until the first call answered by the target again, in milliseconds. */
  private static Optional<Long> returned(List<CallOutcome> calls, Target target, long heal) {
    return due(calls, heal, Long.MAX_VALUE).stream()
        .filter(target::served)
        .findFirst()
        .map(call -> TimeUnit.NANOSECONDS.toMillis(call.dueNanos() - heal));
  }

  private static List<CallOutcome> due(List<CallOutcome> calls, long from, long to) {
    return calls.stream().filter(call -> call.dueNanos() >= from && call.dueNanos() < to).toList();
  }

  /** The 99th percentile latency of {@code calls}, in milliseconds. */
  public static double p99Millis(List<CallOutcome> calls) {
    return latency(calls).getValueAtPercentile(99) / 1000.0;
  }

  private static Histogram latency(List<CallOutcome> calls) {
    Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    calls.forEach(
        call ->
            histogram.recordValue(
                Math.min(
                    histogram.getHighestTrackableValue(),
                    Math.max(1, call.latencyNanos() / 1000))));
    return histogram;
  }

  private static Map<String, Long> outcomes(List<CallOutcome> calls) {
    Map<String, Long> outcomes = new TreeMap<>();
    calls.forEach(call -> outcomes.merge(call.ok() ? call.path() : call.status(), 1L, Long::sum));
    return outcomes;
  }
}
