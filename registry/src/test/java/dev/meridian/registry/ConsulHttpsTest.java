package dev.meridian.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.tls.CertificateAuthority;
import dev.meridian.devconsul.DevConsul;
import dev.meridian.devconsul.DevConsulConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code consul-api} client through the facade, against dev Consuls serving HTTPS. */
class ConsulHttpsTest {
  private static final Duration VALIDITY = Duration.ofHours(1);
  private static final String KEY = "meridian/routing/fraud-score";

  @TempDir Path dir;
  private Path authority;
  private DevConsul consul;

  @BeforeEach
  void start() {
    CertificateAuthority ca = CertificateAuthority.create("test-ca", VALIDITY);
    authority = dir.resolve("ca.crt");
    ca.writeCertificate(authority);
    ca.issue("consul", List.of("meridian-consul", "127.0.0.1"), VALIDITY)
        .write(dir.resolve("consul.crt"), dir.resolve("consul.key"));
    consul = new DevConsul(tls("eu-west").build()).start();
  }

  @AfterEach
  void stop() {
    consul.close();
  }

  private DevConsulConfig.Builder tls(String datacenter) {
    return DevConsulConfig.builder()
        .datacenters(datacenter)
        .basePort(0)
        .tls(dir.resolve("consul.crt"), dir.resolve("consul.key"));
  }

  private ConsulConfig.Builder client(int port) {
    return ConsulConfig.builder().host("127.0.0.1").port(port).https(true).caFile(authority);
  }

  @Test
  void registersAndReadsOverHttpsVerifyingTheRoleName() {
    assertThat(consul.uri().getScheme()).isEqualTo("https");
    try (ConsulRegistry registry = new ConsulRegistry(client(consul.port("eu-west")).build())) {
      assertThat(registry.config().tlsServerName()).isEqualTo("meridian-consul");
      registry.kv().put(KEY, "weights", "eu-west");
      assertThat(registry.kv().get(KEY, "eu-west", 0).value().orElseThrow().value())
          .isEqualTo("weights");
      registry
          .services()
          .register(
              new ReplicaRegistration(
                  "meridian-replica",
                  "eu-west-0",
                  "127.0.0.1",
                  7001,
                  List.of(),
                  Map.of("region", "eu-west"),
                  Duration.ofSeconds(15),
                  Duration.ofMinutes(1)));
      assertThat(registry.services().all("meridian-replica", "eu-west", 0).value())
          .extracting(ServiceInstance::id)
          .containsExactly("eu-west-0");
    }
  }

  @Test
  void aServerFromAnotherAuthorityIsRefused() {
    Path other = dir.resolve("other-ca.crt");
    CertificateAuthority.create("other-ca", VALIDITY).writeCertificate(other);
    try (ConsulRegistry registry =
        new ConsulRegistry(client(consul.port("eu-west")).caFile(other).build())) {
      assertThatThrownBy(() -> registry.kv().put(KEY, "x", "eu-west"))
          .isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining("unable to find valid certification path");
    }
  }

  @Test
  void aCertificateWithoutTheExpectedNameIsRefused() {
    try (ConsulRegistry registry =
        new ConsulRegistry(
            client(consul.port("eu-west")).tlsServerName("consul.elsewhere").build())) {
      assertThatThrownBy(() -> registry.kv().put(KEY, "x", "eu-west"))
          .isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining("SSLPeerUnverifiedException");
    }
  }

  @Test
  void plainHttpToTheHttpsPortFails() {
    try (ConsulRegistry registry =
        new ConsulRegistry(
            ConsulConfig.builder().host("127.0.0.1").port(consul.port("eu-west")).build())) {
      assertThatThrownBy(() -> registry.kv().put(KEY, "x", "eu-west"))
          .isInstanceOf(RegistryUnavailableException.class);
    }
  }

  @Test
  void wanForwardingSpeaksHttpsToTheOtherDatacenter() {
    String euWest = "127.0.0.1:" + consul.port("eu-west");
    try (DevConsul usEast =
            new DevConsul(
                    tls("us-east").wan(Map.of("eu-west", euWest)).wanAuthority(authority).build())
                .start();
        ConsulRegistry viaUsEast = new ConsulRegistry(client(usEast.port("us-east")).build());
        ConsulRegistry direct = new ConsulRegistry(client(consul.port("eu-west")).build())) {
      viaUsEast.kv().put(KEY, "forwarded", "eu-west");
      assertThat(direct.kv().get(KEY, "eu-west", 0).value().orElseThrow().value())
          .isEqualTo("forwarded");
    }
  }
}
