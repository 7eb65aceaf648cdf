package dev.meridian.deploy.gameday;

import static dev.meridian.deploy.gameday.Timeline.Event.FAULT;
import static dev.meridian.deploy.gameday.Timeline.Event.HEAL;
import static dev.meridian.deploy.gameday.Timeline.Event.RECOVERED;

import dev.meridian.deploy.bench.CallOutcome;
import dev.meridian.deploy.bench.InferenceClient;
import dev.meridian.deploy.bench.LoadGenerator;
import dev.meridian.proto.inference.v1.PredictRequest;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one scenario: steady open-loop load through the gateway, a few seconds of it before the
 * fault (the baseline), the scenario's script (inject, hold, heal, wait for recovery) while the
 * load goes on, and a short tail after it, then stops the load and returns every call with the
 * script's timeline.
 */
public final class ScenarioRunner {
  /** Calls per second, each with a 1 s deadline: what a latency-bound caller would send. */
  public static final int RATE = 200;

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration WARM_UP = Duration.ofSeconds(3);
  private static final Duration TAIL = Duration.ofSeconds(2);
  // An upper bound only: the runner stops the load when the script is done.
  private static final Duration MAX_LOAD = Duration.ofMinutes(10);
  // The longest a healed target may take to answer calls again before the run is given up on.
  private static final Duration RECOVERY_LIMIT = Duration.ofMinutes(2);

  private final Supplier<ManagedChannel> gateway;
  private final InferenceClient.Protocol protocol;
  private final PredictRequest request;
  private final int rate;

  /**
   * A runner whose load sends {@code request} through {@code Predict} at {@link #RATE} calls per
   * second.
   *
   * @param gateway opens a channel to the gateway; the runner closes it after each run
   */
  public ScenarioRunner(Supplier<ManagedChannel> gateway, PredictRequest request) {
    this(gateway, InferenceClient.Protocol.PREDICT, request, RATE);
  }

  private ScenarioRunner(
      Supplier<ManagedChannel> gateway,
      InferenceClient.Protocol protocol,
      PredictRequest request,
      int rate) {
    this.gateway = gateway;
    this.protocol = protocol;
    this.request = request;
    this.rate = rate;
  }

  /** The same runner with its load sent in {@code protocol}. */
  public ScenarioRunner speaking(InferenceClient.Protocol protocol) {
    return new ScenarioRunner(gateway, protocol, request, rate);
  }

  /** The same runner with its load sending {@code other} (entity keys, say). */
  public ScenarioRunner sending(PredictRequest other) {
    return new ScenarioRunner(gateway, protocol, other, rate);
  }

  /** The same runner at {@code callsPerSecond}. */
  public ScenarioRunner at(int callsPerSecond) {
    return new ScenarioRunner(gateway, protocol, request, callsPerSecond);
  }

  /** What a scenario does while the load runs; it marks its moments in the timeline. */
  @FunctionalInterface
  public interface Script {
    /**
     * Plays the scenario, marking its moments in {@code timeline}; {@code calls} fills as it runs.
     */
    void play(Timeline timeline, CallLog calls) throws Exception;
  }

  /**
   * A finished run.
   *
   * @param calls every call, in the order they were due
   * @param timeline when the script's moments happened
   */
  public record Run(List<CallOutcome> calls, Timeline timeline) {}

  /** Something a scenario does to the system. */
  @FunctionalInterface
  public interface Action {
    /** Does it. */
    void run() throws Exception;
  }

  /**
   * Runs a scenario that injects a fault, holds it for {@code held} while the load runs, heals it
   * (even if holding failed), and waits until {@code target} answers calls again.
   */
  public Run faultFor(Duration held, Target target, Action inject, Action heal) throws Exception {
    return run(
        (timeline, calls) -> {
          timeline.mark(FAULT);
          try {
            inject.run();
            TimeUnit.MILLISECONDS.sleep(held.toMillis());
          } finally {
            timeline.mark(HEAL);
            heal.run();
          }
          long healed = timeline.at(HEAL);
          Poll.until(
              "calls answered by " + target.name(),
              RECOVERY_LIMIT,
              () -> calls.servedBy(target, healed));
          timeline.mark(RECOVERED);
        });
  }

  /** Runs {@code script} under load. */
  public Run run(Script script) throws Exception {
    ManagedChannel channel = gateway.get();
    ExecutorService loadThread = Executors.newSingleThreadExecutor();
    CallLog calls = new CallLog();
    Timeline timeline = new Timeline();
    LoadGenerator load =
        new LoadGenerator(new InferenceClient(channel, protocol), request, CALL_TIMEOUT, calls);
    Future<?> running =
        loadThread.submit(
            () -> {
              load.openLoop(rate, MAX_LOAD);
              return null;
            });
    try {
      // Windows of load around the script; nothing waits on these for its result.
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
