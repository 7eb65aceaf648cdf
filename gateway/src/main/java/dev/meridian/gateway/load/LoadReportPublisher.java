package dev.meridian.gateway.load;

import dev.meridian.gateway.policy.RegionPolicyRegistry;
import dev.meridian.registry.ConsulKv;
import dev.meridian.registry.LoadReport;
import dev.meridian.registry.LoadReportJson;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.RegistryException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this gateway's {@link LoadReport} every report interval to {@link MeridianLayout#loadKey}
 * in its home datacenter, where the failover controller reads it before and during drains, and
 * deletes it on close, so that a stopped gateway's load is not counted (a gateway that dies without
 * closing is left out by the controller after three intervals). A failed write is logged and the
 * next interval tries again. Thread-safe.
 */
public final class LoadReportPublisher implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(LoadReportPublisher.class);

  private final ConsulKv kv;
  private final String gateway;
  private final String datacenter;
  private final LoadMeter meter;
  private final Supplier<List<RegionPolicyRegistry.Breaker>> breakers;
  private final Duration interval;
  private final InstantSource clock;
  private ScheduledFuture<?> schedule;
  private boolean closed;

  /**
   * A publisher of {@code meter}'s load as gateway {@code gateway}, in {@code datacenter}.
   *
   * @param breakers the gateway's breakers, whose states each report carries too
   * @param clock stamps each report with the end of its interval
   * @throws IllegalArgumentException when {@code gateway} cannot be a key segment
   */
  public LoadReportPublisher(
      ConsulKv kv,
      String gateway,
      String datacenter,
      LoadMeter meter,
      Supplier<List<RegionPolicyRegistry.Breaker>> breakers,
      Duration interval,
      InstantSource clock) {
    this.kv = kv;
    this.gateway = gateway;
    this.datacenter = datacenter;
    this.meter = meter;
    this.breakers = breakers;
    this.interval = interval;
    this.clock = clock;
    MeridianLayout.loadKey(gateway);
  }

  /**
   * The id of the gateway of {@code region} on host {@code host} listening on {@code port}, as a
   * key segment: {@code eu-west-gw-7f9c-50051}. The host name, not the advertised one, tells apart
   * gateways behind one name (the pods of a Kubernetes Deployment each have their own).
   */
  public static String gatewayId(String region, String host, int port) {
    return (region + "-" + host + "-" + port).replaceAll("[^A-Za-z0-9._~-]", "-");
  }

  /** Publishes every interval on {@code scheduler}, the first report one interval from now. */
  public synchronized LoadReportPublisher start(ScheduledExecutorService scheduler) {
    schedule =
        scheduler.scheduleAtFixedRate(
            this::publish, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    return this;
  }

  /** Writes the report of the interval that ends now; nothing once closed. */
  public synchronized void publish() {
    if (closed) {
      return;
    }
    LoadReport report =
        new LoadReport(
            gateway,
            clock.instant(),
            interval,
            meter.takeWindow(),
            RegionPolicyRegistry.Breaker.statesByModel(breakers.get()));
    try {
      kv.put(MeridianLayout.loadKey(gateway), LoadReportJson.encode(report), datacenter);
    } catch (RegistryException e) {
      logger
          .atWarn()
          .addKeyValue("event", "load_report_failed")
          .addKeyValue("gateway", gateway)
          .addKeyValue("datacenter", datacenter)
          .addKeyValue("reason", String.valueOf(e))
          .log("load report failed");
    }
  }

  /** Stops publishing and deletes the report. */
  @Override
  public synchronized void close() {
    closed = true;
    if (schedule != null) {
      schedule.cancel(false);
    }
    try {
      kv.delete(MeridianLayout.loadKey(gateway), datacenter);
    } catch (RegistryException e) {
      logger
          .atWarn()
          .addKeyValue("event", "load_report_not_deleted")
          .addKeyValue("gateway", gateway)
          .addKeyValue("reason", String.valueOf(e))
          .log("load report not deleted");
    }
  }
}
