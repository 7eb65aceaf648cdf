package dev.meridian.deploy.gameday;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.deploy.bench.CallOutcome;
import dev.meridian.proto.inference.v1.FeatureSources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A game day's figures against the objectives, from synthetic runs: 3000 calls due a millisecond
 * apart, the fault at 1000 ms, healed at 2000 ms, recovered at 2500 ms.
 */
class ObjectivesTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final Fault FAULT =
      new Fault() {
        @Override
        public String describe() {
          return "synthetic";
        }

        @Override
        public Target target() {
          return new Target("eu-west");
        }

        @Override
        public void inject() {}

        @Override
        public void heal() {}
      };

  private static CallOutcome answered(int dueMs, int latencyMs, String region, String path) {
    return new CallOutcome(
        dueMs * MS,
        (dueMs + latencyMs) * MS,
        CallOutcome.OK,
        region,
        region + "-0",
        path,
        1,
        "",
        FeatureSources.getDefaultInstance());
  }

  private static CallOutcome failed(int dueMs) {
    return new CallOutcome(
        dueMs * MS, (dueMs + 1000) * MS, "DEADLINE_EXCEEDED", "", "", "", 2, "eu-west: slow", null);
  }

  /** The run of {@code call(i)} for i in 0..2999. */
  private static GamedayReport report(IntFunction<CallOutcome> call) {
    List<CallOutcome> calls = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      calls.add(call.apply(i));
    }
    Timeline timeline = new Timeline();
    timeline.markAt(Timeline.Event.FAULT, 1000 * MS);
    timeline.markAt(Timeline.Event.HEAL, 2000 * MS);
    timeline.markAt(Timeline.Event.RECOVERED, 2500 * MS);
    return GamedayReport.of("test", FAULT, new ScenarioRunner.Run(calls, timeline));
  }

  private static Map<String, Boolean> met(GamedayReport report) {
    return report.objectives().stream()
        .collect(Collectors.toMap(Objectives.Verdict::objective, Objectives.Verdict::met));
  }

  @Test
  void callsThatLeftTheRegionInTimeMeetEveryObjective() {
    GamedayReport report =
        report(i -> answered(i, 10, i >= 1000 && i < 2100 ? "us-east" : "eu-west", "PRIMARY"));

    assertThat(report.passed()).isTrue();
    assertThat(met(report)).containsOnlyKeys("availability", "latency", "errors", "recovery");
    assertThat(report.figures().leftMs()).isZero();
    assertThat(report.figures().returnedMs()).isEqualTo(100);
    assertThat(report.text()).contains("PASSED").contains("p99 before 10.0 ms");
  }

  @Test
  void failedCallsMissAvailabilityAndErrorsAndAreReportedWithTheirStatus() {
    GamedayReport report =
        report(i -> i >= 1200 && i < 1205 ? failed(i) : answered(i, 10, "us-east", "PRIMARY"));

    assertThat(met(report))
        .containsEntry("availability", false)
        .containsEntry("errors", false)
        .containsEntry("latency", true)
        .containsEntry("recovery", true);
    assertThat(report.passed()).isFalse();
    assertThat(report.text()).contains("5 DEADLINE_EXCEEDED").contains("FAILED");
    assertThat(report.json()).contains("\"met\": false");
  }

  @Test
  void aDegradedAnswerIsLostLikeAFailedOneButIsNoError() {
    GamedayReport report =
        report(
            i -> answered(i, 10, "us-east", i >= 1200 && i < 1210 ? "FALLBACK_MODEL" : "PRIMARY"));

    assertThat(met(report)).containsEntry("availability", false).containsEntry("errors", true);
    assertThat(report.figures().degraded()).isEqualTo(10);
  }

  @Test
  void slowCallsDuringTheFaultMissTheLatencyObjective() {
    GamedayReport report =
        report(i -> answered(i, i >= 1000 && i < 1030 ? 300 : 10, "us-east", "PRIMARY"));

    assertThat(met(report)).containsEntry("latency", false).containsEntry("availability", true);
    assertThat(report.figures().p99DuringMs()).isGreaterThan(200);
    assertThat(report.figures().p99AfterMs()).isLessThan(20);
  }

  @Test
  void callsLostForFiveMinutesMissRecovery() {
    List<CallOutcome> calls =
        List.of(failed(0), answered(1, 10, "us-east", "PRIMARY"), failed(5 * 60 * 1000));
    assertThat(Objectives.lostFor(calls).toMinutes()).isEqualTo(5);
    assertThat(Objectives.lostFor(List.of(answered(1, 10, "us-east", "PRIMARY")))).isZero();
  }
}
