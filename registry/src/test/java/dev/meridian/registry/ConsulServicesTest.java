package dev.meridian.registry;

import static dev.meridian.registry.DevConsulFixture.DC;
import static dev.meridian.registry.DevConsulFixture.OTHER_DC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Registration, TTL checks and health queries through the facade, against the dev Consul. */
class ConsulServicesTest {
  private final DevConsulFixture fixture = new DevConsulFixture();
  private final ConsulServices services = fixture.registry.services();

  @AfterEach
  void close() {
    fixture.close();
  }

  private static ReplicaRegistration replica(String id, int port) {
    return new ReplicaRegistration(
        "meridian-replica",
        id,
        "127.0.0.1",
        port,
        List.of("fraud-score"),
        Map.of("region", DC, "model", "fraud-score", "model-version", "1", "capacity", "64"),
        Duration.ofSeconds(15),
        Duration.ofMinutes(1));
  }

  private List<ServiceInstance> healthy() {
    return services.healthy("meridian-replica", DC, 0).value();
  }

  @Test
  void registeredReplicaIsHealthyOnlyWhileItsCheckPasses() {
    ReplicaRegistration replica = replica("eu-west-0", 7001);
    services.register(replica);
    assertThat(healthy()).as("TTL checks start critical").isEmpty();

    services.pass(replica.checkId(), "canary ok in 3 ms");
    assertThat(healthy())
        .singleElement()
        .satisfies(
            instance -> {
              assertThat(instance.id()).isEqualTo("eu-west-0");
              assertThat(instance.address()).isEqualTo("127.0.0.1");
              assertThat(instance.port()).isEqualTo(7001);
              assertThat(instance.meta()).containsEntry("model-version", "1");
              assertThat(instance.tags()).containsExactly("fraud-score");
              assertThat(instance.passing()).isTrue();
            });

    services.warn(replica.checkId(), "p99 120 ms over the 50 ms objective");
    assertThat(healthy()).as("warning is not passing").isEmpty();
    assertThat(services.all("meridian-replica", DC, 0).value()).hasSize(1);

    services.pass(replica.checkId(), "ok");
    services.maintenance("eu-west-0", true, "kernel upgrade");
    assertThat(healthy()).isEmpty();
    services.maintenance("eu-west-0", false, "");
    assertThat(healthy()).hasSize(1);

    services.fail(replica.checkId(), "model failed to load");
    assertThat(healthy()).isEmpty();
  }

  @Test
  void ttlCheckGoesCriticalWhenNotUpdatedInTime() {
    ReplicaRegistration replica = replica("eu-west-0", 7001);
    services.register(replica);
    services.pass(replica.checkId(), "ok");

    fixture.advance(Duration.ofSeconds(16));

    assertThat(healthy()).isEmpty();
  }

  @Test
  void instancesAreSeparatedByDatacenter() {
    services.register(replica("eu-west-0", 7001));
    services.pass("service:eu-west-0", "ok");

    assertThat(services.healthy("meridian-replica", OTHER_DC, 0).value()).isEmpty();
    assertThat(healthy()).hasSize(1);
  }

  @Test
  void deregisterRemovesTheInstanceAndUnknownIdsAreNotFound() {
    services.register(replica("eu-west-0", 7001));
    services.deregister("eu-west-0");

    assertThat(services.all("meridian-replica", DC, 0).value()).isEmpty();
    assertThatThrownBy(() -> services.deregister("eu-west-0"))
        .isInstanceOf(RegistryNotFoundException.class)
        .hasMessageContaining("Unknown service ID");
    assertThatThrownBy(() -> services.pass("service:nope", "x"))
        .isInstanceOf(RegistryNotFoundException.class);
  }

  @Test
  void blockingHealthQueryReturnsWhenTheResultChanges() throws Exception {
    ReplicaRegistration replica = replica("eu-west-0", 7001);
    services.register(replica);
    Versioned<List<ServiceInstance>> first = services.healthy("meridian-replica", DC, 0);

    Thread writer = new Thread(() -> services.pass(replica.checkId(), "ok"));
    writer.start();
    Versioned<List<ServiceInstance>> next = services.healthy("meridian-replica", DC, first.index());
    writer.join();
    if (next.value().isEmpty()) {
      // The read may have returned on its wait before the write; the write must show next time.
      next = services.healthy("meridian-replica", DC, next.index());
    }

    assertThat(next.value()).hasSize(1);
    assertThat(next.index()).isGreaterThan(first.index());
    assertThat(next.knownLeader()).isTrue();
  }
}
