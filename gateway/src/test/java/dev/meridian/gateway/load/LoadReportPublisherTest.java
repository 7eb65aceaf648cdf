package dev.meridian.gateway.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failsafe.CircuitBreaker;
import dev.meridian.core.testing.FakeTicker;
import dev.meridian.devconsul.DevConsul;
import dev.meridian.devconsul.DevConsulConfig;
import dev.meridian.gateway.policy.RegionPolicyRegistry;
import dev.meridian.registry.ConsulConfig;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.LoadReport;
import dev.meridian.registry.LoadReport.RegionLoad;
import dev.meridian.registry.LoadReportJson;
import dev.meridian.registry.MeridianLayout;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Load reports written to, and deleted from, the dev Consul over HTTP. */
class LoadReportPublisherTest {
  private static final String EU = "eu-west";
  private static final String US = "us-east";
  private static final Instant NOW = Instant.parse("2026-12-01T18:00:00Z");

  private final DevConsul consul =
      new DevConsul(DevConsulConfig.builder().datacenters(List.of(EU, US)).basePort(0).build())
          .start();
  private final ConsulRegistry registry =
      new ConsulRegistry(ConsulConfig.builder().port(consul.port(EU)).build());
  private final FakeTicker ticker = new FakeTicker();
  private final LoadMeter meter = new LoadMeter(ticker);
  private final String id = LoadReportPublisher.gatewayId(EU, "gw-7f9c", 50051);
  private final LoadReportPublisher publisher =
      new LoadReportPublisher(
          registry.kv(),
          id,
          EU,
          meter,
          () ->
              List.of(
                  new RegionPolicyRegistry.Breaker(EU, "fraud-score", CircuitBreaker.State.CLOSED),
                  new RegionPolicyRegistry.Breaker(US, "fraud-score", CircuitBreaker.State.OPEN)),
          Duration.ofSeconds(5),
          InstantSource.fixed(NOW));

  @AfterEach
  void close() {
    registry.close();
    consul.close();
  }

  private Optional<KvEntry> stored() {
    return registry.kv().get(MeridianLayout.loadKey(id), EU, 0).value();
  }

  @Test
  void theGatewayIdIsAKeySegment() {
    assertThat(id).isEqualTo("eu-west-gw-7f9c-50051");
    assertThat(LoadReportPublisher.gatewayId(EU, "gw 1/a", 1)).isEqualTo("eu-west-gw-1-a-1");
  }

  @Test
  void writesTheIntervalsLoadToItsKeyInItsDatacenterAndDeletesItOnClose() {
    meter.attemptEnded("fraud-score", US, Duration.ofMillis(100));
    ticker.advance(Duration.ofSeconds(5));

    publisher.publish();

    assertThat(stored().map(entry -> LoadReportJson.decode(entry.value())))
        .hasValue(
            new LoadReport(
                id,
                NOW,
                Duration.ofSeconds(5),
                Map.of("fraud-score", Map.of(US, new RegionLoad(0.2, 0.02))),
                Map.of("fraud-score", Map.of(EU, "CLOSED", US, "OPEN"))));
    assertThat(registry.kv().get(MeridianLayout.loadKey(id), US, 0).value())
        .as("only in its home datacenter")
        .isEmpty();

    publisher.close();
    assertThat(stored()).isEmpty();
    publisher.publish();
    assertThat(stored()).as("nothing once closed").isEmpty();
  }
}
