package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevConsulConfigTest {

  @Test
  void defaultsLookLikeConsulDev() {
    DevConsulConfig config = DevConsulConfig.builder().build();

    assertThat(config.datacenters()).containsExactly("dc1");
    assertThat(config.basePort()).isEqualTo(8500);
    assertThat(config.aclToken()).isEmpty();
    assertThat(config.snapshotFile()).isEmpty();
    assertThat(config.bindAddress()).isEqualTo(DevConsulConfig.DEFAULT_BIND_ADDRESS);
    assertThat(config.advertiseAddress()).isEqualTo(DevConsulConfig.DEFAULT_BIND_ADDRESS);
    assertThat(config.wan()).isEmpty();
  }

  @Test
  void httpsNeedsACertificateAndItsKey() {
    assertThat(DevConsulConfig.builder().build().scheme()).isEqualTo("http");
    assertThat(
            DevConsulConfig.builder()
                .tls(Path.of("consul.crt"), Path.of("consul.key"))
                .build()
                .scheme())
        .isEqualTo("https");
    assertThatThrownBy(() -> DevConsulConfig.builder().tls(Path.of("consul.crt"), null).build())
        .hasMessage("tls: consul.crt, null (expected: a certificate and its key, or neither)");
    assertThatThrownBy(() -> DevConsulConfig.builder().wanAuthority(Path.of("ca.crt")).build())
        .hasMessage("wanAuthority: ca.crt (expected: only with a TLS certificate and key)");
  }

  @Test
  void theAdvertisedAddressDefaultsToTheBindAddress() {
    assertThat(DevConsulConfig.builder().bindAddress("10.203.0.21").build().advertiseAddress())
        .isEqualTo("10.203.0.21");
    assertThat(
            DevConsulConfig.builder()
                .bindAddress("10.203.0.21")
                .advertiseAddress("consul-a.test")
                .build()
                .advertiseAddress())
        .isEqualTo("consul-a.test");
    assertThat(DevConsulConfig.builder().bindAddress("::1").build().advertiseAddress())
        .isEqualTo("::1");
    DevConsulConfig.Builder reused = DevConsulConfig.builder().bindAddress("10.203.0.21");
    reused.build();
    assertThat(reused.bindAddress("10.203.0.22").build().advertiseAddress())
        .isEqualTo("10.203.0.22");
  }

  @Test
  void aWildcardBindAdvertisesTheHostName() {
    String hostName;
    try {
      hostName = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      assertThatThrownBy(() -> DevConsulConfig.builder().bindAddress("0.0.0.0").build())
          .hasMessageStartingWith("advertiseAddress: none (expected: ");
      return;
    }
    assertThat(DevConsulConfig.builder().bindAddress("0.0.0.0").build().advertiseAddress())
        .isEqualTo(hostName);
  }

  @Test
  void wanMapsRemoteDatacentersToAddressesInOrder() {
    Map<String, String> remotes = new LinkedHashMap<>();
    remotes.put("us-east", "10.203.0.22:8500");
    remotes.put("ap-south", "10.203.0.23:8500");
    DevConsulConfig config = DevConsulConfig.builder().datacenters("eu-west").wan(remotes).build();

    assertThat(config.wan())
        .containsExactly(
            Map.entry("us-east", "10.203.0.22:8500"), Map.entry("ap-south", "10.203.0.23:8500"));
    assertThatThrownBy(() -> config.wan().put("x", "y:1"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void invalidAddressesNameTheirKey() {
    assertThatThrownBy(() -> DevConsulConfig.builder().bindAddress("consul-a.test").build())
        .hasMessage("bindAddress: \"consul-a.test\" (expected: an IPv4 or IPv6 address)");
    assertThatThrownBy(() -> DevConsulConfig.builder().bindAddress("10.0.0.256").build())
        .hasMessageStartingWith("bindAddress: \"10.0.0.256\" (expected: ");
    assertThatThrownBy(() -> DevConsulConfig.builder().advertiseAddress("0.0.0.0").build())
        .hasMessage(
            "advertiseAddress: \"0.0.0.0\" (expected: a host name or an IP address that is not a"
                + " wildcard)");
    assertThatThrownBy(() -> DevConsulConfig.builder().advertiseAddress("a b").build())
        .hasMessageStartingWith("advertiseAddress: \"a b\" (expected: ");
  }

  @Test
  void invalidWanEntriesNameTheirKey() {
    assertThatThrownBy(() -> wan("us east", "10.203.0.22:8500"))
        .hasMessage(
            "wan: \"us east\" (expected: datacenter names of letters, digits, '-' and '_')");
    assertThatThrownBy(() -> wan("dc1", "10.203.0.22:8500"))
        .hasMessage("wan: \"dc1\" (expected: datacenters not served here, not one of [dc1])");
    assertThatThrownBy(() -> wan("us-east", "10.203.0.22"))
        .hasMessage(
            "wan.us-east: \"10.203.0.22\" (expected: host:port of its HTTP API, e.g."
                + " 10.0.0.2:8500)");
    assertThatThrownBy(() -> wan("us-east", "10.203.0.22:70000"))
        .hasMessageStartingWith("wan.us-east: \"10.203.0.22:70000\" (expected: ");
    assertThatThrownBy(() -> wan("us-east", "http://10.203.0.22:8500"))
        .hasMessageStartingWith("wan.us-east: ");
    assertThat(wan("us-east", "consul-b.test:8500").wan()).containsKey("us-east");
    assertThat(wan("us-east", "[fd00::22]:8500").wan()).containsKey("us-east");
  }

  private static DevConsulConfig wan(String name, String address) {
    return DevConsulConfig.builder().wan(Map.of(name, address)).build();
  }

  @Test
  void invalidValuesNameTheirKey() {
    assertThatThrownBy(() -> DevConsulConfig.builder().datacenters(List.of()).build())
        .hasMessage("datacenters: [] (expected: at least one)");
    assertThatThrownBy(() -> DevConsulConfig.builder().datacenters("dc1", "dc1").build())
        .hasMessage("datacenters: [dc1, dc1] (expected: distinct names)");
    assertThatThrownBy(() -> DevConsulConfig.builder().datacenters("d c").build())
        .hasMessageStartingWith("datacenters: [d c] (expected: ");
    assertThatThrownBy(() -> DevConsulConfig.builder().basePort(70000).build())
        .hasMessage("basePort: 70000 (expected: 0..65535)");
    assertThatThrownBy(() -> DevConsulConfig.builder().aclToken(" ").build())
        .hasMessageStartingWith("aclToken: ");
    assertThatThrownBy(() -> DevConsulConfig.builder().timerInterval(Duration.ZERO).build())
        .hasMessage("timerInterval: PT0S (expected: > 0)");
  }

  @Test
  void datacentersGetConsecutivePortsFromTheBase() {
    try (DevConsul consul =
        new DevConsul(DevConsulConfig.builder().datacenters("a", "b").basePort(0).build())
            .start()) {
      assertThat(consul.port("a")).isPositive();
      assertThat(consul.port("b")).isPositive().isNotEqualTo(consul.port("a"));
      assertThat(consul.uri()).isEqualTo(consul.uri("a"));
    }
  }
}
