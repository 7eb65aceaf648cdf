package dev.meridian.devconsul;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What a contract test runs against: an in-JVM {@link DevConsul} on a {@link ManualClock} (the
 * default), or a real Consul when {@code CONSUL_HTTP_ADDR} is set. Tests that need the fake clock
 * or fault controls call {@link #dev()}, which skips them against a real Consul.
 */
final class ConsulTarget implements AutoCloseable {
  private final URI uri;
  private final DevConsul dev;
  private final ManualClock clock;

  private ConsulTarget(URI uri, DevConsul dev, ManualClock clock) {
    this.uri = uri;
    this.dev = dev;
    this.clock = clock;
  }

  /** A real Consul from {@code CONSUL_HTTP_ADDR}, else a dev Consul with dc1 and dc2. */
  static ConsulTarget create() {
    String address = System.getenv("CONSUL_HTTP_ADDR");
    if (address != null && !address.isBlank()) {
      return new ConsulTarget(
          URI.create(address.contains("://") ? address : "http://" + address), null, null);
    }
    return startDev(DevConsulConfig.builder().datacenters(List.of("dc1", "dc2")));
  }

  /** A dev Consul with the given settings plus an ephemeral port and a manual clock. */
  static ConsulTarget startDev(DevConsulConfig.Builder config) {
    ManualClock clock = new ManualClock();
    DevConsul consul = new DevConsul(config.basePort(0).clock(clock).build()).start();
    return new ConsulTarget(consul.uri(), consul, clock);
  }

  URI uri() {
    return uri;
  }

  boolean isDev() {
    return dev != null;
  }

  /** The dev Consul behind this target; skips the calling test against a real Consul. */
  DevConsul dev() {
    assumeTrue(dev != null, "needs the dev Consul's fault controls or fake clock");
    return dev;
  }

  /** Moves the fake clock and fires whatever became due; skips against a real Consul. */
  void advance(Duration by) {
    dev();
    clock.advance(by);
    dev.runTimers();
  }

  @Override
  public void close() {
    if (dev != null) {
      dev.close();
    }
  }
}
