package dev.meridian.registry;

import static dev.meridian.registry.DevConsulFixture.DC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listing metrics servers and reading them back as Prometheus targets, against the dev Consul. */
class ScrapeTargetsTest {
  private final DevConsulFixture fixture = new DevConsulFixture();
  private final ConsulServices services = fixture.registry.services();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void everyListedProcessAndEveryReplicaProcessIsATarget() {
    MetricsListing gateway = MetricsListing.start(services, "gateway", "192.0.2.10", 9460);
    try {
      services.register(replica("eu-west-0", Map.of(MeridianLayout.META_METRICS_PORT, "9500")));
      services.register(replica("eu-west-1", Map.of()));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ScrapeTargets.read(services, List.of(DC)).size() == 2);
      assertThat(ScrapeTargets.read(services, List.of(DC)))
          .containsExactlyInAnyOrder(
              new ScrapeTargets.Group(
                  List.of("192.0.2.10:9460"),
                  Map.of(
                      "job",
                      "meridian-gateway",
                      "region",
                      DC,
                      "consul_id",
                      "meridian-metrics-gateway-192.0.2.10-9460")),
              new ScrapeTargets.Group(
                  List.of("127.0.0.1:9500"),
                  Map.of("job", "meridian-replica", "region", DC, "consul_id", "eu-west-0")));
    } finally {
      gateway.close();
    }
    assertThat(ScrapeTargets.read(services, List.of(DC)))
        .as("a closed listing is removed; the replica without a metrics port is never a target")
        .hasSize(1);
  }

  private static ReplicaRegistration replica(String id, Map<String, String> meta) {
    return new ReplicaRegistration(
        MeridianLayout.REPLICA_SERVICE,
        id,
        "127.0.0.1",
        7001,
        List.of(),
        meta,
        Duration.ofSeconds(15),
        Duration.ofMinutes(1));
  }
}
