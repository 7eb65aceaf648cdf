package dev.meridian.deploy.e2e;

import static dev.meridian.deploy.e2e.Timeline.Event.FAULT;
import static dev.meridian.deploy.e2e.Timeline.Event.HEAL;
import static dev.meridian.deploy.e2e.Timeline.Event.RECOVERED;

import dev.meridian.deploy.bench.CallOutcome;
import dev.meridian.deploy.bench.InferenceClient;
import dev.meridian.deploy.bench.LoadGenerator;
import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.proto.inference.v1.PredictRequest;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs one scenario: steady open-loop load through the gateway, a few seconds of it before the
 * fault (the baseline), the scenario's script (inject, hold, heal, wait for recovery) while the
 * load goes on, and a short tail after it, then stops the load and returns every call with the
 * script's timeline.
 */
final class ScenarioRunner {
  /** Calls per second, each with a 1 s deadline: what a latency-bound caller would send. */
  static final int RATE = 200;

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration WARM_UP = Duration.ofSeconds(3);
  private static final Duration TAIL = Duration.ofSeconds(2);
  // An upper bound only: the runner stops the load when the script is done.
  private static final Duration MAX_LOAD = Duration.ofMinutes(4);

  private final LocalTopology topology;
  private final InferenceClient.Protocol protocol;
  private final PredictRequest request;

  /** A runner whose load calls {@code Predict} with the demo's feature tensor. */
  ScenarioRunner(LocalTopology topology) {
    this(topology, InferenceClient.Protocol.PREDICT, DemoModels.request());
  }

  private ScenarioRunner(
      LocalTopology topology, InferenceClient.Protocol protocol, PredictRequest request) {
    this.topology = topology;
    this.protocol = protocol;
    this.request = request;
  }

  /** The same runner with its load sent in {@code protocol}. */
  ScenarioRunner speaking(InferenceClient.Protocol protocol) {
    return new ScenarioRunner(topology, protocol, request);
  }

  /** The same runner with its load sending {@code other} (entity keys, say). */
  ScenarioRunner sending(PredictRequest other) {
    return new ScenarioRunner(topology, protocol, other);
  }

  /** What a scenario does while the load runs; it marks its moments in the timeline. */
  @FunctionalInterface
  interface Script {
    void play(Timeline timeline, CallLog calls) throws Exception;
  }

  /**
   * A finished run.
   *
   * @param calls every call, in the order they were due
   * @param timeline when the script's moments happened
   */
  record Run(List<CallOutcome> calls, Timeline timeline) {}

  /** Something a scenario does to the topology. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  /**
   * Runs a scenario that injects a fault, holds it for {@code held} while the load runs, heals it
   * (even if holding failed), and waits until {@code target} answers calls again.
   */
  Run faultFor(Duration held, Target target, Action inject, Action heal) throws Exception {
    return run(
        (timeline, calls) -> {
          timeline.mark(FAULT);
          try {
            inject.run();
            Waits.hold(held);
          } finally {
            timeline.mark(HEAL);
            heal.run();
          }
          Waits.awaitServed(calls, target, timeline.at(HEAL));
          timeline.mark(RECOVERED);
        });
  }

  /** Runs {@code script} under load. */
  Run run(Script script) throws Exception {
    ManagedChannel channel = topology.gatewayChannel();
    ExecutorService loadThread = Executors.newSingleThreadExecutor();
    CallLog calls = new CallLog();
    Timeline timeline = new Timeline();
    LoadGenerator load =
        new LoadGenerator(new InferenceClient(channel, protocol), request, CALL_TIMEOUT, calls);
    Future<?> running =
        loadThread.submit(
            () -> {
              load.openLoop(RATE, MAX_LOAD);
              return null;
            });
    try {
      // Holding windows while the load runs; nothing below waits on these for its result.
      TimeUnit.MILLISECONDS.sleep(WARM_UP.toMillis());
      script.play(timeline, calls);
      TimeUnit.MILLISECONDS.sleep(TAIL.toMillis());
    } finally {
      // Stopped even when the script failed; its exception is the one that propagates.
      load.stop();
      loadThread.shutdown();
      loadThread.awaitTermination(CALL_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    running.get(0, TimeUnit.SECONDS); // surfaces a failure of the load itself
    return new Run(calls.calls(), timeline);
  }
}
