package dev.meridian.gateway.call;

import com.codahale.metrics.MetricRegistry;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.meridian.core.Ticker;
import dev.meridian.core.server.EventLoops;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.gateway.GatewayMetrics;
import dev.meridian.gateway.load.LoadMeter;
import dev.meridian.gateway.outlier.OutlierConfig;
import dev.meridian.gateway.outlier.OutlierDetector;
import dev.meridian.gateway.policy.PolicyConfig;
import dev.meridian.gateway.policy.RegionPolicies;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import dev.meridian.gateway.policy.RetryBudget;
import dev.meridian.gateway.routing.ChannelCache;
import dev.meridian.gateway.routing.NoConnectivity;
import dev.meridian.gateway.routing.RegionSelector;
import dev.meridian.gateway.routing.ReplicaAvailability;
import dev.meridian.gateway.routing.ReplicaEndpoint;
import dev.meridian.gateway.routing.ReplicaPicker;
import dev.meridian.gateway.routing.ReplicaWarmUp;
import dev.meridian.gateway.routing.RoutingState;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What the gateway's policies cost one call, apart from the network: the work a successful call's
 * attempt does in the gateway's own classes, in the order {@link RegionAttempt} does it — choose a
 * region (weights, grades, breakers, deadline fit), choose its replica, pass the bulkhead and the
 * breaker, run the attempt under the retry policy with a hedge timer armed and cancelled, then
 * record the answer in the region's policies, the outlier detection, the retry budget and the
 * metrics. Two regions of two replicas each, as in the demo. JMH, in a fork of its own; a benchmark
 * to catch regressions, not part of the suite:
 *
 * <pre>
 * mvn -B -pl gateway -am test -Dtest=PolicyPathBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyPathBenchmark {
  private static final String MODEL = "fraud-score";
  private static final Duration REMAINING = Duration.ofSeconds(1);
  private static final Duration ELAPSED = Duration.ofMillis(2);

  private EventLoops eventLoops;
  private ChannelCache channels;
  private ScheduledExecutorService timers;
  private ReplicaPicker replicas;
  private RegionSelector regions;
  private RegionPolicyRegistry policies;
  private OutlierDetector outliers;
  private RetryBudget budget;
  private GatewayMetrics metrics;
  private RetryPolicy<Object> retryPolicy;
  private ImmediateFirstScheduler scheduler;
  private HedgedAttempt hedging;
  private HedgeDelay hedgeDelay;
  private RoutingTable table;

  /** Runs the benchmark from the test command line above. */
  @Test
  void policyPathOfOneCall() throws RunnerException {
    new Runner(
            new OptionsBuilder()
                .include(PolicyPathBenchmark.class.getName())
                .forks(1)
                // Bytes allocated per call beside the time (gc.alloc.rate.norm).
                .addProfiler(GCProfiler.class)
                .warmupIterations(5)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .build())
        .run();
  }

  /** Builds the gateway's policy objects as the gateway does, on the system clock. */
  @Setup(Level.Trial)
  public void setUp() {
    PolicyConfig config = PolicyConfig.defaults();
    RoutingState state = new RoutingState(Ticker.SYSTEM);
    for (String region : List.of("eu-west", "us-east")) {
      state.replaceReplicas(
          region,
          List.of(
              new ReplicaEndpoint(region, region + "-0", "192.0.2.1", 1, Set.of(MODEL)),
              new ReplicaEndpoint(region, region + "-1", "192.0.2.2", 1, Set.of(MODEL))));
    }
    table =
        RoutingTable.newBuilder()
            .setModelName(MODEL)
            .addRegions(RegionRoute.newBuilder().setRegion("eu-west").setWeight(64))
            .addRegions(RegionRoute.newBuilder().setRegion("us-east").setWeight(64))
            .build();
    metrics = new GatewayMetrics(new MetricRegistry(), state, new LoadMeter(Ticker.SYSTEM));
    outliers = new OutlierDetector(OutlierConfig.DEFAULTS, Ticker.SYSTEM, metrics);
    eventLoops = EventLoops.perProcessor();
    channels =
        new ChannelCache(
            TransportSecurity.plaintext(), eventLoops, 1024, new NoConnectivity(), Ticker.SYSTEM);
    replicas =
        new ReplicaPicker(
            state,
            new ReplicaAvailability(
                outliers,
                channels,
                new ReplicaWarmUp(channels, 0, REMAINING, Runnable::run, () -> {})));
    policies = new RegionPolicyRegistry(config, metrics, Ticker.SYSTEM);
    regions =
        new RegionSelector(replicas, policies, () -> ThreadLocalRandom.current().nextDouble());
    budget = new RetryBudget(config.retryRatio(), config.minRetriesPerSecond(), Ticker.SYSTEM);
    retryPolicy =
        RetryPolicy.builder()
            .withMaxAttempts(config.maxAttempts())
            .withBackoff(config.backoffInitial(), config.backoffMax())
            .build();
    timers = Executors.newSingleThreadScheduledExecutor();
    scheduler = new ImmediateFirstScheduler(eventLoops, timers);
    hedging = new HedgedAttempt(scheduler);
    hedgeDelay = new HedgeDelay(policies, config);
  }

  /** Stops the timer thread and the event loops. */
  @TearDown(Level.Trial)
  public void tearDown() {
    timers.shutdownNow();
    channels.close();
    eventLoops.close();
  }

  /** One successful call's policy work; returns what it chose, so none of it is dead code. */
  @Benchmark
  public Object policiesOfOneCall() throws InterruptedException {
    budget.recordCall();
    String region = regions.pick(table, Set.of(), Set.of(), Set.of(), REMAINING).orElseThrow();
    ReplicaEndpoint replica = replicas.pick(region, MODEL, Set.of()).orElseThrow();
    RegionPolicies route = policies.forRoute(region, MODEL);
    if (route.admit() != RegionPolicies.Admission.ADMITTED) {
      throw new IllegalStateException("refused: " + region);
    }
    CompletableFuture<Object> upstream = new CompletableFuture<>();
    CompletableFuture<Object> answer =
        Failsafe.with(retryPolicy)
            .with(scheduler)
            .getStageAsync(
                () ->
                    hedging.run(
                        () -> upstream,
                        () -> CompletableFuture.completedFuture(replica),
                        () -> hedgeDelay.forRegion(region, MODEL)));
    upstream.complete(replica);
    route.recordSuccess(ELAPSED);
    outliers.answered(replica.id());
    metrics.attempt(MODEL, region, Status.Code.OK, ELAPSED);
    metrics.call(MODEL, "PRIMARY", 1, ELAPSED);
    return answer.join();
  }
}
