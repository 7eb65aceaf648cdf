package dev.meridian.gateway.outlier;

import dev.meridian.core.Ticker;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ejects replicas from what this gateway itself sees, before Consul does (after Envoy's outlier
 * detection, which keeps local-origin and upstream errors apart). A connection that cannot be made
 * ejects a replica at once, and so does a missed liveness check, until it answers one again; {@code
 * consecutiveFailures} failed attempts in a row eject it too, unless that would take more than the
 * configured share of its peers. The n-th ejection in a row lasts n times the base, up to the
 * maximum; an answer re-admits the replica and forgets its failures. Thread-safe: each replica's
 * record is updated atomically, and ejections for failed attempts are decided one at a time.
 */
public final class OutlierDetector {
  private static final Logger logger = LoggerFactory.getLogger(OutlierDetector.class);

  /** Why a replica was ejected. */
  public enum Cause {
    /** The connection could not be made, or the channel is in TRANSIENT_FAILURE. */
    CONNECT_FAILURE(false),
    /**
     * It did not answer a liveness check in time: frozen, or the network drops its packets. Lasts
     * until it answers one again, as nothing else sent there would be answered either.
     */
    UNRESPONSIVE(true),
    /** Attempts in a row failed there. */
    CONSECUTIVE_FAILURES(false);

    private final boolean untilRecovered;

    Cause(boolean untilRecovered) {
      this.untilRecovered = untilRecovered;
    }
  }

  /** Hears ejections, for metrics. */
  @FunctionalInterface
  public interface Listener {
    /** {@code replica} was ejected for {@code cause}. */
    void ejected(String replica, Cause cause);
  }

  private final OutlierConfig config;
  private final Ticker ticker;
  private final Listener listener;
  private final Map<String, Outlier> replicas = new ConcurrentHashMap<>();

  /** Creates a detector on {@code ticker}. */
  public OutlierDetector(OutlierConfig config, Ticker ticker, Listener listener) {
    this.config = config;
    this.ticker = ticker;
    this.listener = listener;
  }

  /** Whether {@code replica} is ejected now. */
  public boolean isEjected(String replica) {
    return ejection(replica).isPresent();
  }

  /** Why {@code replica} is ejected now; empty when it is not. */
  public Optional<Cause> ejection(String replica) {
    Outlier outlier = replicas.get(replica);
    return outlier != null && outlier.ejectedAt(ticker.nanoTime())
        ? Optional.of(outlier.cause)
        : Optional.empty();
  }

  /** A call to the replica was answered: it is re-admitted and its failures are forgotten. */
  public void answered(String replica) {
    long now = ticker.nanoTime();
    replicas.computeIfPresent(replica, (id, outlier) -> outlier.readmitted(now));
  }

  /**
   * What ejected the replica for {@code cause} is over (its channel is connected again, it answers
   * its liveness check): re-admit it if that was why it is out. An ejection for failed calls lasts
   * until its time is up or a call is answered, as a replica can answer health checks and still
   * fail every call.
   */
  public void recovered(String replica, Cause cause) {
    long now = ticker.nanoTime();
    replicas.computeIfPresent(
        replica,
        (id, outlier) ->
            outlier.cause == cause && outlier.ejectedAt(now) ? outlier.readmitted(now) : outlier);
  }

  /** A fact about the connection, or a missed liveness check: eject now, whatever the share. */
  public void eject(String replica, Cause cause) {
    long now = ticker.nanoTime();
    if (updateUnlessEjected(replica, now, current -> current.eject(now, cause, config))) {
      report(replica, cause);
    }
  }

  /**
   * An attempt failed at {@code replica}.
   *
   * @param peers every replica of the same model in the same region, {@code replica} included,
   *     against which the share of ejected replicas is counted
   */
  public synchronized void failed(String replica, Collection<String> peers) {
    // Synchronized, so that failures on several replicas at once cannot each see the region's
    // share below the cap and eject past it together.
    long now = ticker.nanoTime();
    boolean mayEject = mayEject(peers);
    boolean ejected =
        updateUnlessEjected(
            replica,
            now,
            current -> {
              Outlier counted = current.failed();
              return counted.consecutiveFailures >= config.consecutiveFailures() && mayEject
                  ? counted.eject(now, Cause.CONSECUTIVE_FAILURES, config)
                  : counted;
            });
    if (ejected) {
      report(replica, Cause.CONSECUTIVE_FAILURES);
    }
  }

  /**
   * Applies {@code change} to the replica's record atomically, unless it is ejected already.
   *
   * @return whether the change ejected it
   */
  private boolean updateUnlessEjected(String replica, long now, UnaryOperator<Outlier> change) {
    AtomicBoolean ejected = new AtomicBoolean();
    replicas.compute(
        replica,
        (id, outlier) -> {
          Outlier current = outlier == null ? Outlier.FRESH : outlier;
          if (current.ejectedAt(now)) {
            return current;
          }
          Outlier changed = change.apply(current);
          ejected.set(changed.ejectedAt(now));
          return changed;
        });
    return ejected.get();
  }

  /** Forgets replicas that are gone from the registry. */
  public void retainOnly(Collection<String> known) {
    replicas.keySet().retainAll(known);
  }

  private boolean mayEject(Collection<String> peers) {
    long ejected = peers.stream().filter(this::isEjected).count();
    return (ejected + 1) * 100 <= (long) config.maxEjectedPercent() * peers.size();
  }

  private void report(String replica, Cause cause) {
    logger
        .atInfo()
        .addKeyValue("event", "replica_ejected")
        .addKeyValue("replica", replica)
        .addKeyValue("cause", String.valueOf(cause))
        .log("replica ejected");
    listener.ejected(replica, cause);
  }

  /**
   * One replica's record: ejected until when and why, failures in a row, and ejections in a row
   * (reset after a stretch in service longer than the longest ejection).
   */
  private record Outlier(
      long ejectedUntilNanos, Cause cause, int consecutiveFailures, int ejections) {
    static final Outlier FRESH = new Outlier(0, null, 0, 0);

    boolean ejectedAt(long now) {
      return cause != null && (cause.untilRecovered || ejectedUntilNanos - now > 0);
    }

    Outlier failed() {
      return new Outlier(ejectedUntilNanos, cause, consecutiveFailures + 1, ejections);
    }

    Outlier readmitted(long now) {
      return new Outlier(ejectedAt(now) ? now : ejectedUntilNanos, null, 0, ejections);
    }

    Outlier eject(long now, Cause why, OutlierConfig config) {
      boolean longInService =
          ejections == 0 || now - ejectedUntilNanos > config.maxEjection().toNanos();
      int streak = longInService ? 1 : ejections + 1;
      long nanos =
          Math.min(config.baseEjection().toNanos() * streak, config.maxEjection().toNanos());
      return new Outlier(now + nanos, why, 0, streak);
    }
  }
}
