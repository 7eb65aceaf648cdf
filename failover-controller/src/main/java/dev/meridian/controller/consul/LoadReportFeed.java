package dev.meridian.controller.consul;

import dev.meridian.controller.routing.LoadSnapshot;
import dev.meridian.core.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest {@link LoadSnapshot} of the gateways' reports, read by {@link LoadReports} on a
 * thread of its own every refresh period, so that the routing loop never waits on Consul for it.
 * Until the first read, and whenever every read fails, the snapshot holds no report (unknown load).
 * Thread-safe.
 */
public final class LoadReportFeed implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(LoadReportFeed.class);

  private final LoadReports reports;
  private final ScheduledExecutorService thread;
  private volatile LoadSnapshot latest = LoadSnapshot.NONE;

  private LoadReportFeed(LoadReports reports) {
    this.reports = reports;
    this.thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("load-reports"));
  }

  /** Starts reading {@code reports} now and every {@code refresh}. */
  public static LoadReportFeed start(LoadReports reports, Duration refresh) {
    LoadReportFeed feed = new LoadReportFeed(reports);
    feed.thread.scheduleWithFixedDelay(feed::refresh, 0, refresh.toNanos(), TimeUnit.NANOSECONDS);
    return feed;
  }

  private void refresh() {
    try {
      latest = LoadSnapshot.sum(reports.read());
    } catch (RuntimeException e) {
      // A failure here must not end the schedule: the next refresh tries again.
      logger.warn("cannot read the gateways' load reports", e);
    }
  }

  /** The load as last read. */
  public LoadSnapshot latest() {
    return latest;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
