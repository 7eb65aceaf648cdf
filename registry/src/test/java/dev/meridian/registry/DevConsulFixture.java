package dev.meridian.registry;

import dev.meridian.devconsul.DevConsul;
import dev.meridian.devconsul.DevConsulConfig;
import dev.meridian.devconsul.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

/**
 * A dev Consul with datacenters {@code eu-west} and {@code us-east} on a manual clock, and a
 * registry talking to it over HTTP. It can be stopped and started again on the same port with its
 * state lost, as a real Consul that restarts without its data.
 */
final class DevConsulFixture implements AutoCloseable {
  static final String DC = "eu-west";
  static final String OTHER_DC = "us-east";

  final ManualClock clock = new ManualClock();
  private final int port;
  private DevConsul consul;
  final ConsulRegistry registry;

  DevConsulFixture(Duration maxWait) {
    this.port = freePort();
    start();
    this.registry =
        new ConsulRegistry(
            ConsulConfig.builder().host("127.0.0.1").port(port).maxWait(maxWait).build());
  }

  DevConsulFixture() {
    this(Duration.ofSeconds(1));
  }

  DevConsul consul() {
    return consul;
  }

  /** Starts the dev Consul on the fixture's port, with empty state. */
  void start() {
    consul =
        new DevConsul(
                DevConsulConfig.builder()
                    .datacenters(List.of(DC, OTHER_DC))
                    .basePort(port)
                    .clock(clock)
                    .build())
            .start();
  }

  /** Stops the dev Consul: connections are refused until {@link #start()}. */
  void stop() {
    consul.close();
  }

  /** Moves the fake clock and fires the timers that became due. */
  void advance(Duration by) {
    clock.advance(by);
    consul.runTimers();
  }

  private static int freePort() {
    // Two consecutive ports are needed (one per datacenter); retry until both are free.
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket first = new ServerSocket(0)) {
        int candidate = first.getLocalPort();
        try (ServerSocket second = new ServerSocket(candidate + 1)) {
          if (second.isBound()) {
            return candidate;
          }
        } catch (IOException taken) {
          // try another pair
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no two consecutive free ports");
  }

  @Override
  public void close() {
    registry.close();
    consul.close();
  }
}
