package dev.meridian.controller.consul;

import static dev.meridian.controller.ConsulFixture.EU;
import static dev.meridian.controller.ConsulFixture.MODEL;
import static dev.meridian.controller.ConsulFixture.US;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Counter;
import dev.meridian.controller.ConsulFixture;
import dev.meridian.controller.routing.LoadSnapshot;
import dev.meridian.registry.LoadReport;
import dev.meridian.registry.LoadReport.RegionLoad;
import dev.meridian.registry.LoadReportJson;
import dev.meridian.registry.MeridianLayout;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateways' load reports read back from every datacenter of the dev Consul over HTTP. */
class LoadReportsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T18:00:00Z");

  private final ConsulFixture fixture = new ConsulFixture();
  private final Counter malformed = new Counter();
  private final LoadReports reports =
      new LoadReports(fixture.registry(EU), List.of(EU, US), InstantSource.fixed(NOW), malformed);

  @AfterEach
  void close() {
    fixture.close();
  }

  private void put(String datacenter, String gateway, String value) {
    fixture.registry(datacenter).kv().put(MeridianLayout.loadKey(gateway), value, datacenter);
  }

  private static LoadReport report(String gateway, Instant at, double euInFlight) {
    return new LoadReport(
        gateway,
        at,
        Duration.ofSeconds(5),
        Map.of(MODEL, Map.of(EU, new RegionLoad(100, euInFlight), US, new RegionLoad(50, 1))));
  }

  @Test
  void readsTheReportsOfEveryDatacenter() {
    put(EU, "eu-gw", LoadReportJson.encode(report("eu-gw", NOW.minusSeconds(4), 3)));
    put(US, "us-gw", LoadReportJson.encode(report("us-gw", NOW, 2)));

    List<LoadReport> read = reports.read();

    assertThat(read).extracting(LoadReport::gateway).containsExactlyInAnyOrder("eu-gw", "us-gw");
    assertThat(LoadSnapshot.sum(read).of(MODEL))
        .hasValue(Map.of(EU, new RegionLoad(200, 5), US, new RegionLoad(100, 2)));
  }

  @Test
  void aReportOlderThanThreeIntervalsIsLeftOut() {
    put(EU, "fresh", LoadReportJson.encode(report("fresh", NOW.minusSeconds(15), 3)));
    put(EU, "stale", LoadReportJson.encode(report("stale", NOW.minusSeconds(16), 3)));

    assertThat(reports.read()).extracting(LoadReport::gateway).containsExactly("fresh");
  }

  @Test
  void aMalformedReportIsCountedOnceAndSkippedWithoutHidingTheOthers() {
    put(EU, "broken", "{\"gateway\": \"broken\", \"at\": \"soon\"}");
    put(EU, "good", LoadReportJson.encode(report("good", NOW, 3)));

    assertThat(reports.read()).extracting(LoadReport::gateway).containsExactly("good");
    assertThat(reports.read()).extracting(LoadReport::gateway).containsExactly("good");
    assertThat(malformed.getCount()).as("counted once per version").isEqualTo(1);

    put(EU, "broken", "not json");
    reports.read();
    assertThat(malformed.getCount()).isEqualTo(2);
  }

  @Test
  void noReportsIsAnEmptyList() {
    assertThat(reports.read()).isEmpty();
  }
}
