package dev.meridian.deploy.e2e;

import dev.meridian.core.testing.OtlpCollector;
import dev.meridian.core.tracing.TracingConfig;
import dev.meridian.deploy.bench.CallOutcome;
import dev.meridian.deploy.gameday.FigureCalculator;
import dev.meridian.deploy.gameday.ScenarioRunner;
import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.deploy.topology.Placement;
import dev.meridian.deploy.topology.TopologyPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs one {@link LocalTopology} for all the tests of a class (starting a dozen JVMs is the
 * expensive part) and hands it to them as a parameter. It is started on first use and kept in the
 * class's extension store, so JUnit stops every process when the class is done, whether its tests
 * passed, failed or were aborted, before another class starts a topology of its own; a shutdown
 * hook covers a test JVM that is itself told to stop. This one places every role on loopback;
 * {@link IsolatedTopologyExtension} places each in a network namespace.
 */
public class TopologyExtension implements ParameterResolver {
  static final List<String> REGIONS = List.of("eu-west", "us-east");
  private static final int REPLICAS = 2;
  private static final int CONTROLLERS = 2;
  // Ports of one topology: consul per region, controllers, gateway, metrics of every role.
  private static final int PORTS = 16;
  private static final Duration WARM_UP_ROUND = Duration.ofSeconds(10);
  private static final int MIN_WARM_UP_ROUNDS = 2;
  private static final int MAX_WARM_UP_ROUNDS = 8;
  private static final double STEADY_P99_MILLIS = 60;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalTopology.class
        || type == PrometheusServer.class
        || type == OtlpCollector.class;
  }

  /**
   * The class's topology, started on first use; the collector its gateway and replicas export spans
   * to; or a Prometheus for it, started on first use too and stopped before it.
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext.Store store =
        classContext(context).getStore(ExtensionContext.Namespace.create(getClass()));
    Running running =
        store.getOrComputeIfAbsent(Running.class, key -> startHooked(), Running.class);
    LocalTopology topology = running.topology();
    if (parameter.getParameter().getType() == LocalTopology.class) {
      return topology;
    }
    if (parameter.getParameter().getType() == OtlpCollector.class) {
      return running
          .traces()
          .orElseThrow(() -> new IllegalStateException("this topology exports no spans"));
    }
    return store.getOrComputeIfAbsent(
        PrometheusServer.class, key -> startPrometheus(topology), PrometheusServer.class);
  }

  private static PrometheusServer startPrometheus(LocalTopology topology) {
    try {
      return PrometheusServer.start(topology);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getParent().isPresent() && current.getParent().get() != context.getRoot()) {
      current = current.getParent().get();
    }
    return current;
  }

  /**
   * A running topology and what it stands on.
   *
   * @param topology the topology
   * @param underneath closed after the topology, also when closing that failed
   * @param traces the collector its gateway and replicas export spans to, if they do
   */
  record Running(LocalTopology topology, Runnable underneath, Optional<OtlpCollector> traces)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        topology.close();
      } finally {
        underneath.run();
      }
    }
  }

  private Running startHooked() {
    try {
      Files.createDirectories(Path.of("target"));
      // A fresh directory each run: no admin token, audit log or last-known-good routing file
      // from an earlier run can leak into this one.
      Running running = start(Files.createTempDirectory(Path.of("target"), "e2e-topology-"));
      Thread hook = new Thread(running.topology()::close, "e2e-topology-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      Running hooked =
          new Running(
              running.topology(),
              () -> {
                running.underneath().run();
                Runtime.getRuntime().removeShutdownHook(hook);
              },
              running.traces());
      try {
        warmJvms(running.topology());
      } catch (Exception e) {
        hooked.close();
        throw e;
      }
      return hooked;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the topology started", e);
    } catch (Exception e) {
      throw new IllegalStateException("the topology did not start or warm up", e);
    }
  }

  /**
   * Load with no fault, unrecorded, until a round of it runs at steady-state latency, so that the
   * first scenario's baseline is not that of a dozen JVMs (and this test's own load generator)
   * still compiling their request paths on two cores: the roles warm up before they serve, but only
   * real traffic gets the C2 compiler done, and how long that takes depends on the machine. At
   * least {@value #MIN_WARM_UP_ROUNDS} rounds, at most {@value #MAX_WARM_UP_ROUNDS}; a topology
   * still not steady then is measured as it is.
   */
  private static void warmJvms(LocalTopology topology) throws Exception {
    ScenarioRunner runner = new ScenarioRunner(topology::gatewayChannel, DemoModels.request());
    for (int round = 1; round <= MAX_WARM_UP_ROUNDS; round++) {
      ScenarioRunner.Run run = runner.run((timeline, calls) -> Waits.hold(WARM_UP_ROUND));
      double p99 = FigureCalculator.p99Millis(run.calls());
      boolean allAnswered = run.calls().stream().allMatch(CallOutcome::ok);
      System.out.printf(
          "e2e warm-up round %d: p99 %.1f ms, all answered: %s%n", round, p99, allAnswered);
      if (round >= MIN_WARM_UP_ROUNDS && allAnswered && p99 <= STEADY_P99_MILLIS) {
        return;
      }
    }
  }

  /**
   * Starts the topology in {@code directory}, its gateway and replicas exporting spans to a
   * collector in this JVM; they record only calls whose callers sampled their trace, so the
   * scenarios' load is not traced.
   */
  Running start(Path directory) throws IOException, InterruptedException {
    OtlpCollector traces = OtlpCollector.start();
    try {
      TopologyPlan plan =
          plan(
              directory,
              freePortBlock(),
              Placement.ONE_MACHINE,
              Optional.of(new TracingConfig(traces.tracesEndpoint(), 0)));
      return new Running(LocalTopology.start(plan), traces::close, Optional.of(traces));
    } catch (IOException | InterruptedException | RuntimeException e) {
      traces.close();
      throw e;
    }
  }

  /** The plan of the tests' topology, its ports from {@code base} up. */
  static TopologyPlan plan(
      Path directory, int base, Placement placement, Optional<TracingConfig> tracing) {
    return new TopologyPlan(
        directory,
        REGIONS,
        REPLICAS,
        TopologyPlan.DEFAULT_REPLICA_CAPACITY,
        CONTROLLERS,
        base,
        base + REGIONS.size(),
        base + REGIONS.size() + CONTROLLERS,
        base + REGIONS.size() + CONTROLLERS + 1,
        placement,
        true,
        tracing,
        false);
  }

  /** The first of {@value #PORTS} consecutive loopback ports that are all free now. */
  private static int freePortBlock() throws IOException {
    for (int base = 21000; base < 60000; base += PORTS) {
      if (allFree(base)) {
        return base;
      }
    }
    throw new IOException("no block of " + PORTS + " free loopback ports");
  }

  private static boolean allFree(int base) {
    for (int port = base; port < base + PORTS; port++) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
