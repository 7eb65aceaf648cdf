package dev.meridian.gateway.routing;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.metrics.MetricNames;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes refused routing tables visible: every refusal counts in {@code
 * gateway.routing.tables_rejected{model=...}}, and each refused (model, epoch, version) is logged
 * once. A gateway whose control plane restarted its epochs refuses every new table, and this is how
 * operators see it. Thread-safe.
 */
public final class TableRejections {
  private static final Logger logger = LoggerFactory.getLogger(TableRejections.class);

  private final MetricRegistry metrics;
  // The last table logged per model rather than every one ever refused, so memory stays bounded by
  // the models while a stale table read again and again is still logged once.
  private final Map<String, Stamp> lastLogged = new ConcurrentHashMap<>();

  /** Counts into {@code metrics}. */
  public TableRejections(MetricRegistry metrics) {
    this.metrics = metrics;
  }

  /** Counts and logs {@code rejected}. */
  public void report(List<RejectedTable> rejected) {
    for (RejectedTable rejection : rejected) {
      String model = rejection.got().getModelName();
      metrics.counter(MetricNames.tagged("gateway.routing.tables_rejected", "model", model)).inc();
      Stamp got = Stamp.of(rejection.got());
      if (!Objects.equals(lastLogged.put(model, got), got)) {
        Stamp held = Stamp.of(rejection.held());
        logger
            .atWarn()
            .addKeyValue("event", "routing_table_rejected")
            .addKeyValue("model", model)
            .addKeyValue("held_epoch", held.epoch())
            .addKeyValue("held_version", held.version())
            .addKeyValue("got_epoch", got.epoch())
            .addKeyValue("got_version", got.version())
            .log("routing table rejected");
      }
    }
  }

  private record Stamp(long epoch, long version) {
    static Stamp of(RoutingTable table) {
      return new Stamp(table.getLeaderEpoch(), table.getVersion());
    }
  }
}
