package dev.meridian.gateway;

import static dev.meridian.gateway.GatewayFixture.EU;
import static dev.meridian.gateway.GatewayFixture.MODEL;
import static dev.meridian.gateway.GatewayFixture.US;
import static dev.meridian.gateway.GatewayFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.Gauge;
import com.google.common.util.concurrent.ListenableFuture;
import dev.meridian.core.metrics.MetricNames;
import dev.meridian.core.testing.LogCapture;
import dev.meridian.gateway.call.ModelPolicy;
import dev.meridian.gateway.call.PredictPipeline;
import dev.meridian.gateway.outlier.OutlierConfig;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServingPath;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's policies over real sockets: retries, breakers, bulkheads, deadlines, degradation.
 */
class GatewayResilienceTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final String LITE = "fraud-score-lite";
  private static final Tensor DEFAULT_OUTPUT =
      Tensor.newBuilder()
          .setName("probability")
          .setDatatype(DataType.DATA_TYPE_FP32)
          .addShape(1)
          .addShape(1)
          .setContents(TensorContents.newBuilder().addFp32Contents(0.5f))
          .build();

  @TempDir Path dir;
  private final GatewayFixture fixture = new GatewayFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  private void start(int replicas, UnaryOperator<PolicyConfig.Builder> policies) {
    start(replicas, policies, ModelPolicy.plain(MODEL));
  }

  private void start(
      int replicas, UnaryOperator<PolicyConfig.Builder> policies, ModelPolicy model) {
    fixture.startGateway(
        dir.resolve("lkg.json"),
        config -> config.policies(policies.apply(PolicyConfig.builder()).build()).model(model));
    await().atMost(BOUND).until(() -> fixture.health() == ServingStatus.SERVING);
    await().atMost(BOUND).until(() -> fixture.seesReplicas(replicas));
  }

  private Status failure(InferenceGrpc.InferenceBlockingStub stub) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub.predict(request(MODEL)));
    assertThat(e).as("expected the call to fail").isNotNull();
    return e.getStatus();
  }

  @Test
  void unavailableRegionIsRetriedInAnotherRegionAndItsBreakerOpens() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    ScriptedReplica us = fixture.replica(US, MODEL);
    fixture.table(MODEL, 1_000_000, 1);
    start(2, policies -> policies.breakerMinCalls(4).breakerOpenDelay(Duration.ofMinutes(5)));
    eu.fail(Status.UNAVAILABLE.withDescription("connection refused"));

    PredictResponse first = fixture.stub().predict(request(MODEL));
    assertThat(first.getServedBy().getRegion()).isEqualTo(US);
    assertThat(first.getServedBy().getPath()).isEqualTo(ServingPath.SERVING_PATH_RETRY);
    assertThat(first.getServedBy().getAttempts()).isEqualTo(2);
    assertThat(first.getServedBy().getReason())
        .contains(EU)
        .contains("UNAVAILABLE connection refused");

    for (int i = 0; i < 20; i++) {
      assertThat(fixture.stub().predict(request(MODEL)).getServedBy().getRegion()).isEqualTo(US);
    }
    assertThat(eu.calls.get())
        .as("five failures in a row open the breaker, which keeps calls away from eu-west")
        .isLessThanOrEqualTo(PolicyConfig.defaults().breakerConsecutiveFailures());
    assertThat(breakerOpen(EU)).isTrue();
    assertThat(us.calls.get()).isEqualTo(21);
  }

  @Test
  void aRegionThatRefusesConnectionsIsLeftAtOnceAndFreeOfTheRetryBudget() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    ScriptedReplica us = fixture.replica(US, MODEL);
    fixture.table(MODEL, 1_000_000, 1);
    // No retry may be charged: any call that needed the budget would fail.
    start(2, policies -> policies.retryRatio(0).minRetriesPerSecond(0).hedging(false));
    eu.close(); // the region's process is gone: its port refuses connections

    for (int i = 0; i < 20; i++) {
      PredictResponse response = fixture.stub().predict(request(MODEL));
      assertThat(response.getServedBy().getRegion()).isEqualTo(US);
    }
    assertThat(us.calls).hasValue(20);
    assertThat(ejections("CONNECT_FAILURE"))
        .as("the refused replica is ejected, not tried call after call")
        .isEqualTo(1);
  }

  @Test
  void aFrozenReplicaIsEjectedByItsMissedLivenessChecksAndHedgedAroundMeanwhile() {
    ScriptedReplica frozen = fixture.replica(EU, MODEL);
    ScriptedReplica other = fixture.replica(EU, MODEL);
    fixture.table(MODEL, 100, 0);
    start(
        2,
        policies ->
            policies
                .hedgeMaxDelay(Duration.ofMillis(50))
                .outlier(
                    new OutlierConfig(
                        100,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30),
                        50,
                        Duration.ofMillis(100),
                        Duration.ofMillis(200))));
    frozen.freeze();

    await("the frozen replica ejected").atMost(BOUND).until(() -> ejections("UNRESPONSIVE") == 1);
    int frozenCalls = frozen.calls.get();
    for (int i = 0; i < 20; i++) {
      PredictResponse response = fixture.stub().predict(request(MODEL));
      assertThat(response.getServedBy().getReplica()).isEqualTo(other.id);
    }
    assertThat(frozen.calls.get()).as("no call reaches it once ejected").isEqualTo(frozenCalls);
    frozen.releaseHeld();
  }

  /** Whether the breaker of {@code region} and the model is open, as its state gauges say. */
  private boolean breakerOpen(String region) {
    Gauge<?> open =
        fixture
            .metrics
            .getGauges()
            .get(
                MetricNames.tagged(
                    "gateway.breaker.state", "region", region, "model", MODEL, "state", "open"));
    return open != null && Integer.valueOf(1).equals(open.getValue());
  }

  private long ejections(String cause) {
    return fixture.metrics.getCounters().entrySet().stream()
        .filter(counter -> counter.getKey().startsWith("gateway.ejections"))
        .filter(counter -> counter.getKey().contains(cause))
        .mapToLong(counter -> counter.getValue().getCount())
        .sum();
  }

  @Test
  void deadReplicaIsRetriedOnAnotherReplicaWhenTheOtherRegionIsDrained() {
    ScriptedReplica dead = fixture.replica(EU, MODEL);
    ScriptedReplica alive = fixture.replica(EU, MODEL);
    fixture.replica(US, MODEL);
    fixture.table(MODEL, 100, 0);
    start(3, policies -> policies.breakerFailureRatePercent(100));
    dead.fail(Status.UNAVAILABLE.withDescription("connection refused"));

    for (int i = 0; i < 6; i++) {
      PredictResponse response = fixture.stub().predict(request(MODEL));
      assertThat(response.getServedBy().getReplica()).isEqualTo(alive.id);
    }
    assertThat(dead.calls.get()).isPositive();
  }

  @Test
  void fullBulkheadRejectsQuicklyWithResourceExhausted() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    fixture.table(MODEL, 100, 0);
    start(1, policies -> policies.bulkheadMaxConcurrent(1));
    eu.hold();
    var held = InferenceGrpc.newFutureStub(fixture.channel).predict(request(MODEL));
    await().atMost(BOUND).until(() -> eu.calls.get() == 1);

    long start = System.nanoTime();
    Status status = failure(fixture.stub());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).contains("bulkhead full");
    assertThat(took).as("rejected without waiting").isLessThan(Duration.ofSeconds(2));
    eu.releaseHeld();
    assertThat(held).succeedsWithin(BOUND);
  }

  @Test
  void retryBudgetCapsUpstreamAttemptsWhenHalfTheCallsFail() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    ScriptedReplica us = fixture.replica(US, MODEL);
    fixture.table(MODEL, 1_000_000, 1);
    start(
        2,
        policies -> policies.retryRatio(0.2).minRetriesPerSecond(0).breakerFailureRatePercent(100),
        new ModelPolicy(MODEL, Optional.empty(), Optional.of(List.of(DEFAULT_OUTPUT))));
    eu.failEveryOther();

    int calls = 200;
    for (int i = 0; i < calls; i++) {
      fixture.stub().predict(request(MODEL));
    }

    double attemptsPerCall = (eu.calls.get() + us.calls.get()) / (double) calls;
    System.out.printf(
        "retry budget 0.2 through the gateway, half the first attempts failing: "
            + "%.3f upstream attempts per call (%d + %d for %d calls)%n",
        attemptsPerCall, eu.calls.get(), us.calls.get(), calls);
    assertThat(attemptsPerCall).isBetween(1.0, 1.25);
  }

  @Test
  void callerDeadlineBoundsEverythingAndCancelsTheUpstreamCall() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    fixture.table(MODEL, 100, 0);
    start(1, policies -> policies.attemptTimeout(Duration.ofSeconds(30)));
    eu.hold();

    long start = System.nanoTime();
    Status status =
        failure(
            InferenceGrpc.newBlockingStub(fixture.channel)
                .withDeadlineAfter(300, TimeUnit.MILLISECONDS));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(took).isLessThan(Duration.ofSeconds(3));
    await().atMost(BOUND).until(() -> eu.cancelled.get() == 1);
  }

  @Test
  void eachAttemptHasItsOwnDeadlineSoASlowRegionIsLeftInTime() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    fixture.replica(US, MODEL);
    fixture.table(MODEL, 1_000_000, 1);
    start(2, policies -> policies.attemptTimeout(Duration.ofMillis(300)).hedging(false));
    eu.hold();

    PredictResponse response =
        InferenceGrpc.newBlockingStub(fixture.channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .predict(request(MODEL));

    assertThat(response.getServedBy().getRegion()).isEqualTo(US);
    assertThat(response.getServedBy().getReason()).contains("DEADLINE_EXCEEDED");
  }

  @Test
  void hedgeInAnotherRegionAnswersWhenTheFirstIsSlow() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    fixture.replica(US, MODEL);
    fixture.table(MODEL, 1_000_000, 1);
    start(2, policies -> policies.hedgeMaxDelay(Duration.ofMillis(100)));
    eu.hold();

    PredictResponse response = fixture.stub().predict(request(MODEL));

    assertThat(response.getServedBy().getRegion()).isEqualTo(US);
    assertThat(response.getServedBy().getPath()).isEqualTo(ServingPath.SERVING_PATH_HEDGE);
    assertThat(response.getServedBy().getReason())
        .isEqualTo(EU + " (" + eu.id + "): no answer within the hedge delay");
    await().atMost(BOUND).until(() -> eu.cancelled.get() == 1);
  }

  @Test
  void anAttemptOvertakenByItsHedgeIsCancelledAndCountsAgainstItsReplica() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    fixture.replica(US, MODEL);
    fixture.table(MODEL, 1_000_000, 1);
    OutlierConfig ejectAtOnce =
        new OutlierConfig(
            1,
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            100,
            Duration.ofSeconds(30),
            Duration.ofSeconds(1));
    start(2, policies -> policies.hedgeMaxDelay(Duration.ofMillis(50)).outlier(ejectAtOnce));
    eu.hold();

    PredictResponse hedged = fixture.stub().predict(request(MODEL));

    assertThat(hedged.getServedBy().getPath()).isEqualTo(ServingPath.SERVING_PATH_HEDGE);
    await("the overtaken RPC cancelled").atMost(BOUND).until(() -> eu.cancelled.get() == 1);
    await("the slow replica ejected")
        .atMost(BOUND)
        .until(() -> ejections("CONSECUTIVE_FAILURES") == 1);
    PredictResponse next = fixture.stub().predict(request(MODEL));
    assertThat(next.getServedBy().getPath()).isEqualTo(ServingPath.SERVING_PATH_PRIMARY);
    assertThat(next.getServedBy().getRegion()).isEqualTo(US);
    eu.releaseHeld();
  }

  @Test
  void breakersOpenedBySlowAnswersStillLetACallThroughBeforeAnyDegradedAnswer() {
    // A stall of the gateway itself (a GC pause, a starved CPU) makes every region look slow at
    // once and opens every breaker; a region dying during those seconds must not leave callers
    // with a degraded answer while another region can answer.
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    ScriptedReplica us = fixture.replica(US, MODEL);
    fixture.table(MODEL, 100, 100);
    Duration slow = Duration.ofMillis(50);
    start(
        2,
        policies ->
            policies
                .maxAttempts(3)
                .hedging(false)
                .breakerSlowCall(slow)
                .breakerConsecutiveFailures(1));
    eu.hold();
    us.hold();
    long heldSince = System.nanoTime();
    List<ListenableFuture<PredictResponse>> slowCalls = new ArrayList<>();
    await("a held call in each region")
        .atMost(BOUND)
        .until(
            () -> {
              slowCalls.add(InferenceGrpc.newFutureStub(fixture.channel).predict(request(MODEL)));
              return eu.calls.get() > 0 && us.calls.get() > 0;
            });
    await("answers slower than the slow-call limit")
        .atMost(BOUND)
        .until(() -> System.nanoTime() - heldSince > 2 * slow.toNanos());
    eu.releaseHeld();
    us.releaseHeld();
    await("both breakers open").atMost(BOUND).until(() -> breakerOpen(EU) && breakerOpen(US));
    eu.fail(Status.UNAVAILABLE.withDescription("region lost"));
    us.answer();

    PredictResponse answered = fixture.stub().predict(request(MODEL));

    assertThat(answered.getServedBy().getPath())
        .isIn(ServingPath.SERVING_PATH_PRIMARY, ServingPath.SERVING_PATH_RETRY);
    assertThat(answered.getServedBy().getRegion()).isEqualTo(US);
  }

  @Test
  void breakersOpenedByAttemptTimeoutsStillLetACallThroughBeforeAnyDegradedAnswer() {
    // The same stall, seen as attempts past their timeout rather than slow answers.
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    ScriptedReplica us = fixture.replica(US, MODEL);
    fixture.table(MODEL, 100, 100);
    start(
        2,
        policies ->
            policies
                .maxAttempts(2)
                .hedging(false)
                .attemptTimeout(Duration.ofMillis(50))
                .breakerConsecutiveFailures(1));
    eu.hold();
    us.hold();
    await("both breakers open")
        .atMost(BOUND)
        .until(
            () -> {
              catchThrowableOfType(
                  StatusRuntimeException.class, () -> fixture.stub().predict(request(MODEL)));
              return breakerOpen(EU) && breakerOpen(US);
            });
    eu.fail(Status.UNAVAILABLE.withDescription("region lost"));
    us.answer();

    PredictResponse answered = fixture.stub().predict(request(MODEL));

    assertThat(answered.getServedBy().getRegion()).isEqualTo(US);
  }

  @Test
  void breakersOpenedByFailuresSendTheCallToItsDegradedAnswerAtOnce() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    ScriptedReplica us = fixture.replica(US, MODEL);
    fixture.table(MODEL, 100, 100);
    start(2, policies -> policies.maxAttempts(3).hedging(false));
    Status down = Status.UNAVAILABLE.withDescription("model crashed");
    eu.fail(down);
    us.fail(down);
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> fixture.stub().predict(request(MODEL)))
          .isInstanceOf(StatusRuntimeException.class);
    }
    await("both breakers open").atMost(BOUND).until(() -> breakerOpen(EU) && breakerOpen(US));
    int callsBefore = eu.calls.get() + us.calls.get();

    assertThatThrownBy(() -> fixture.stub().predict(request(MODEL)))
        .isInstanceOf(StatusRuntimeException.class);

    assertThat(eu.calls.get() + us.calls.get() - callsBefore)
        .as("no attempt past a breaker that failures opened")
        .isZero();
  }

  @Test
  void withEveryRegionDownTheFallbackModelAnswersThenTheDefaultResponse() {
    ScriptedReplica eu = fixture.replica(EU, MODEL, LITE);
    ScriptedReplica us = fixture.replica(US, MODEL, LITE);
    fixture.table(MODEL, 100, 100);
    start(
        2,
        policies -> policies,
        new ModelPolicy(MODEL, Optional.of(LITE), Optional.of(List.of(DEFAULT_OUTPUT))));
    Status down = Status.UNAVAILABLE.withDescription("model crashed");
    eu.fail(down);
    us.fail(down);
    // The fallback model runs on the same replicas; let it answer in the other region.
    us.answerModel(LITE);

    try (LogCapture log = LogCapture.of(PredictPipeline.class)) {
      PredictResponse fallback = fixture.stub().predict(request(MODEL));
      assertThat(fallback.getServedBy().getPath())
          .isEqualTo(ServingPath.SERVING_PATH_FALLBACK_MODEL);
      assertThat(fallback.getModelName()).isEqualTo(LITE);
      assertThat(fallback.getServedBy().getReason()).contains("model crashed");

      us.fail(down);
      PredictResponse last = fixture.stub().predict(request(MODEL));
      assertThat(last.getServedBy().getPath()).isEqualTo(ServingPath.SERVING_PATH_DEFAULT_RESPONSE);
      assertThat(last.getOutputsList()).containsExactly(DEFAULT_OUTPUT);
      assertThat(last.getServedBy().getReason()).contains("fallback");

      assertThat(log.events("degraded_answer"))
          .extracting(LogCapture.Line::fields)
          .as("the fallback's answering region, then the gateway's own; no trace, no trace_id")
          .satisfiesExactly(
              line ->
                  assertThat(line)
                      .containsEntry("path", "FALLBACK_MODEL")
                      .containsEntry("model", LITE)
                      .containsEntry("region", US)
                      .doesNotContainKey("trace_id"),
              line ->
                  assertThat(line)
                      .containsEntry("path", "DEFAULT_RESPONSE")
                      .containsEntry("model", MODEL)
                      .containsEntry("region", EU)
                      .doesNotContainKey("trace_id"));
    }
    assertThat(
            fixture.metrics.getMetrics().keySet().stream()
                .filter(name -> name.startsWith("gateway.call.duration.seconds"))
                .toList())
        .anyMatch(name -> name.contains("outcome=FALLBACK_MODEL"))
        .anyMatch(name -> name.contains("outcome=DEFAULT_RESPONSE"));
  }
}
