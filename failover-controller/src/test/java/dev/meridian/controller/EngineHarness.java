package dev.meridian.controller;

import static dev.meridian.controller.ConsulFixture.EU;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.controller.admin.RegionControl;
import dev.meridian.controller.consul.FakeLeadership;
import dev.meridian.controller.consul.ReplicaHealthWatch;
import dev.meridian.controller.routing.LoadSnapshot;
import dev.meridian.core.Ticker;
import dev.meridian.registry.ConsulRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One controller's routing engine, wired as {@link FailoverController} wires it but with a {@link
 * FakeLeadership}, so a test decides when it is elected and when Consul stops confirming its lock.
 * Consul is the real dev Consul of a {@link ControllerCluster}.
 */
final class EngineHarness implements AutoCloseable {
  final ControllerCluster cluster;
  final ConsulFixture consul;
  final FakeLeadership leadership = new FakeLeadership(true);
  final List<String> rejected = new CopyOnWriteArrayList<>();
  final MetricRegistry metricRegistry = new MetricRegistry();
  final RoutingEngine engine;

  /** What the gateways reported last, as the engine reads it. */
  volatile LoadSnapshot load = LoadSnapshot.NONE;

  private final SerialLoop loop = new SerialLoop(Duration.ofSeconds(10));
  private final ReplicaHealthWatch watch;

  EngineHarness(Path directory) {
    cluster = new ControllerCluster(directory);
    consul = cluster.consul;
    ControllerConfig config = cluster.config("ctl-h");
    ConsulRegistry registry = consul.registry(EU);
    engine =
        RoutingEngine.create(
            config,
            registry,
            leadership,
            new ControllerMetrics(metricRegistry, leadership),
            rejected::add,
            () -> load,
            loop,
            Ticker.SYSTEM,
            InstantSource.system(),
            () -> {});
    engine.start();
    watch = ReplicaHealthWatch.start(registry, config.regions(), engine);
  }

  RegionControl operations() {
    return engine.operations();
  }

  @Override
  public void close() {
    watch.close();
    loop.close();
    cluster.close();
  }
}
