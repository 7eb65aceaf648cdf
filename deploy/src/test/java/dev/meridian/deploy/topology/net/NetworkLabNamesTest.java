package dev.meridian.deploy.topology.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a lab accepts as names and subnets; needs no root. */
class NetworkLabNamesTest {

  @Test
  void subnetsNumberTheirAddresses() {
    Ipv4Subnet subnet = NetworkLab.DEFAULT_SUBNET;
    assertThat(subnet.toString()).isEqualTo("10.203.0.0/24");
    assertThat(subnet.address(1).getHostAddress()).isEqualTo("10.203.0.1");
    assertThat(subnet.address(254).getHostAddress()).isEqualTo("10.203.0.254");
    assertThat(subnet.usableAddresses()).isEqualTo(254);
    assertThat(subnet.contains(subnet.address(7))).isTrue();
    assertThat(subnet.contains(Ipv4Subnet.parse("10.203.1.0/24").address(1))).isFalse();
    assertThat(Ipv4Subnet.parse("172.30.16.0/20").address(256).getHostAddress())
        .isEqualTo("172.30.17.0");
    assertThatThrownBy(() -> subnet.address(255)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ipv4Subnet.parse("10.203.0.1/24")).hasMessageContaining("host bits");
    assertThatThrownBy(() -> Ipv4Subnet.parse("example.com/24"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badPrefixesAndHostNamesAreRefusedBeforeAnythingIsMade() {
    assertThatThrownBy(() -> NetworkLab.create("has-dash", List.of("a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NetworkLab.create("elevenchars", List.of("a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NetworkLab.create("mnl", List.of("a", "a")))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> NetworkLab.create("mnl", List.of("switch")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NetworkLab.create("mnl", List.of("Eu_West")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NetworkLab.create("mnl", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> NetworkLab.create("mnl", List.of("a", "b", "c"), Ipv4Subnet.parse("10.9.0.0/30")))
        .hasMessageContaining("room for 1 hosts");
  }

  @Test
  void commandLinesInMessagesAreQuotedAsAShellWouldTakeThem() {
    assertThat(ExternalCommand.commandLine(List.of("ip", "netns", "exec", "a b", "it's")))
        .isEqualTo("ip netns exec 'a b' 'it'\\''s'");
    assertThatThrownBy(
            () ->
                ExternalCommand.check(
                    Duration.ofSeconds(5), List.of("sh", "-c", "echo oops; exit 3")))
        .hasMessageContaining("`sh -c 'echo oops; exit 3'` exited 3")
        .hasMessageContaining("oops");
    assertThatThrownBy(
            () ->
                ExternalCommand.check(Duration.ofMillis(300), List.of("sh", "-c", "exec sleep 30")))
        .hasMessageContaining("did not finish within 300 ms");
  }
}
