package dev.meridian.controller;

import static dev.meridian.controller.ConsulFixture.EU;
import static dev.meridian.controller.ConsulFixture.US;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.controller.admin.TokenHash;
import dev.meridian.controller.routing.DrainPolicy;
import dev.meridian.controller.routing.RoutingPolicy;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Failover controllers running against a {@link ConsulFixture}, with quick timings: evaluation
 * every 50 ms, standbys trying for the lock every 50 ms, no recovery hold or ramp, a 1 s drain ramp
 * (unless {@link #drainRamp} sets another) in 2 steps. Each binds free loopback ports and
 * advertises a name of its own; load reports are read every 100 ms. Closes what it started.
 */
final class ControllerCluster implements AutoCloseable {
  static final String TOKEN = "test-admin-token";

  /** The leader session's TTL (on the dev Consul's manual clock). */
  static final Duration SESSION_TTL = Duration.ofSeconds(10);

  /** How long the lock stays unacquirable after a leader's session ends (manual clock). */
  static final Duration LOCK_DELAY = Duration.ofSeconds(15);

  /** How often a standby tries for the lock. */
  static final Duration RETRY_INTERVAL = Duration.ofMillis(50);

  /** How often the controllers evaluate their tables. */
  static final Duration EVALUATION_INTERVAL = Duration.ofMillis(50);

  /** Where the controllers bind; each advertises a name of its own, {@code <id>.admin.test}. */
  static final String LOCAL = ListenAddress.DEFAULT_HOST;

  final ConsulFixture consul = new ConsulFixture();
  private final Path directory;
  private final Path operators;
  private final List<AutoCloseable> started = new CopyOnWriteArrayList<>();
  private Duration drainRamp = Duration.ofSeconds(1);

  /** A cluster whose files go to {@code directory}, starting with the operators file. */
  ControllerCluster(Path directory) {
    this.directory = directory;
    this.operators = directory.resolve("operators.yaml");
    try {
      Files.writeString(
          operators,
          "operators:\n  - {name: tester, role: admin, token-hash: '"
              + TokenHash.of(TOKEN, TokenHash.MIN_ITERATIONS)
              + "'}\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Gives controllers started from now on a drain ramp of {@code ramp} (in 2 steps). */
  void drainRamp(Duration ramp) {
    this.drainRamp = ramp;
  }

  /** Starts a controller named {@code id}, admitting {@link #TOKEN} as admin {@code tester}. */
  FailoverController start(String id) {
    FailoverController controller = FailoverController.start(config(id), new MetricRegistry());
    started.add(controller);
    return controller;
  }

  /**
   * The configuration of a controller named {@code id}: fast ticks, no holds, the drain ramp set.
   */
  ControllerConfig config(String id) {
    return new ControllerConfig(
        id,
        List.of(EU, US),
        EU,
        new ListenAddress(LOCAL, 0, id + ".admin.test"),
        new ListenAddress(LOCAL, 0, id + ".metrics.test"),
        consul.config(EU),
        new ControllerConfig.Leader(SESSION_TTL, LOCK_DELAY, RETRY_INTERVAL),
        new RoutingPolicy(
            EVALUATION_INTERVAL,
            RoutingPolicy.DEGRADED_BELOW.defaultValue(),
            Duration.ZERO,
            Duration.ZERO,
            RoutingPolicy.RECOVERY_STEPS.defaultValue(),
            drainRamp,
            2),
        ControllerConfig.Auth.operators(operators),
        ControllerConfig.Audit.of(directory.resolve(id + "-audit.jsonl")),
        Optional.empty(),
        ControllerSettings.ADMIN_LIMITS.defaults(),
        ControllerSettings.ADMIN_THREADS.defaultValue(),
        ControllerSettings.ADMIN_REFLECTION.defaultValue(),
        new DrainPolicy(DrainPolicy.MAX_UTILISATION.defaultValue(), Duration.ofMillis(100)));
  }

  /** A blocking admin stub for {@code controller}, carrying the token. */
  RegionAdminGrpc.RegionAdminBlockingStub admin(FailoverController controller) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(LOCAL, controller.adminPort()).usePlaintext().build();
    started.add(0, channel::shutdownNow);
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
    return RegionAdminGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Closes a controller early, as a planned stop or a lost process would. */
  void stop(FailoverController controller) {
    controller.close();
    started.remove(controller);
  }

  @Override
  public void close() {
    for (AutoCloseable resource : started) {
      try {
        resource.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close " + resource, e);
      }
    }
    consul.close();
  }
}
