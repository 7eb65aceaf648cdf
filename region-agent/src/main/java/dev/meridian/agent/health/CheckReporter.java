package dev.meridian.agent.health;

import dev.meridian.core.metrics.BucketHistogram;
import dev.meridian.registry.ConsulServices;
import dev.meridian.registry.RegistryException;
import dev.meridian.registry.RegistryNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes check updates to the local Consul agent and times each write ({@code
 * agent.consul.update}), which is the delay between a probe's verdict and Consul knowing it. A
 * failed write is logged, not thrown: a Consul outage must not stop the agent supervising its
 * replicas. Thread-safe.
 */
public final class CheckReporter {
  private static final Logger logger = LoggerFactory.getLogger(CheckReporter.class);

  /** How a write went. */
  public enum Outcome {
    /** Consul has the update. */
    REPORTED,
    /** Consul does not know the check (it lost its state, or reaped the replica). */
    UNKNOWN_CHECK,
    /** Consul could not be reached or refused the write; the TTL will tell the truth. */
    FAILED
  }

  private final ConsulServices services;
  private final BucketHistogram updates;

  /** Creates a reporter that records each write's duration in {@code updates}. */
  public CheckReporter(ConsulServices services, BucketHistogram updates) {
    this.services = services;
    this.updates = updates;
  }

  /** Writes {@code update} to check {@code checkId}. */
  public Outcome report(String checkId, CheckUpdate update) {
    long start = System.nanoTime();
    try {
      switch (update.status()) {
        case PASSING -> services.pass(checkId, update.output());
        case WARNING -> services.warn(checkId, update.output());
        case CRITICAL -> services.fail(checkId, update.output());
      }
      return Outcome.REPORTED;
    } catch (RegistryNotFoundException e) {
      return Outcome.UNKNOWN_CHECK;
    } catch (RegistryException e) {
      logger
          .atWarn()
          .addKeyValue("check", checkId)
          .addKeyValue("status", String.valueOf(update.status()))
          .addKeyValue("reason", e.getMessage())
          .log("cannot report a check");
      return Outcome.FAILED;
    } finally {
      updates.observeNanos(System.nanoTime() - start);
    }
  }
}
