package dev.meridian.controller.consul;

import com.codahale.metrics.Counter;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.LoadReport;
import dev.meridian.registry.LoadReportJson;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.RegistryException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the gateways' load reports under {@link MeridianLayout#LOAD_PREFIX} in every region's
 * datacenter (each gateway writes its own in its home datacenter). A report older than three of its
 * intervals is left out: its gateway has stopped or cannot reach Consul, and its load has moved or
 * gone. Age is the report's own time against this controller's clock, so the two clocks must agree
 * to well within an interval (NTP does). A malformed report is logged and counted once per version,
 * and left out; a datacenter that does not answer is logged and left out, so one bad region or
 * gateway never hides the others. Thread-safe.
 */
public final class LoadReports {
  private static final Logger logger = LoggerFactory.getLogger(LoadReports.class);

  private final ConsulRegistry registry;
  private final List<String> datacenters;
  private final InstantSource clock;
  private final Counter malformed;
  private final Map<String, Long> malformedSeen = new HashMap<>();

  /**
   * A reader of {@code datacenters}' reports.
   *
   * @param malformed counts the malformed report versions met
   */
  public LoadReports(
      ConsulRegistry registry, List<String> datacenters, InstantSource clock, Counter malformed) {
    this.registry = registry;
    this.datacenters = List.copyOf(datacenters);
    this.clock = clock;
    this.malformed = malformed;
  }

  /** Every fresh, well-formed report now. */
  public List<LoadReport> read() {
    List<LoadReport> reports = new ArrayList<>();
    for (String datacenter : datacenters) {
      List<KvEntry> entries;
      try {
        entries = registry.kv().list(MeridianLayout.LOAD_PREFIX, datacenter, 0).value();
      } catch (RegistryException e) {
        logger
            .atWarn()
            .addKeyValue("datacenter", datacenter)
            .setCause(e)
            .log("cannot read the load reports; leaving them out");
        continue;
      }
      for (KvEntry entry : entries) {
        decode(entry, datacenter)
            .filter(report -> !report.staleAt(clock.instant()))
            .ifPresent(reports::add);
      }
    }
    return reports;
  }

  private Optional<LoadReport> decode(KvEntry entry, String datacenter) {
    try {
      return Optional.of(LoadReportJson.decode(entry.value()));
    } catch (IllegalArgumentException e) {
      String key = datacenter + "/" + entry.key();
      synchronized (malformedSeen) {
        Long seen = malformedSeen.put(key, entry.modifyIndex());
        if (seen == null || seen != entry.modifyIndex()) {
          malformed.inc();
          logger
              .atWarn()
              .addKeyValue("key", entry.key())
              .addKeyValue("datacenter", datacenter)
              .addKeyValue("reason", String.valueOf(e))
              .log("ignoring a malformed load report");
        }
      }
      return Optional.empty();
    }
  }
}
