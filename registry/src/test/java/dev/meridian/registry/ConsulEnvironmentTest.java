package dev.meridian.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consul's standard environment variables beneath the {@code consul.*} keys. */
class ConsulEnvironmentTest {
  @TempDir Path dir;

  private static ConsulConfig read(Map<String, ?> keys, Map<String, String> environment) {
    return ConsulConfig.fromConfig(ConfigNode.of("test.yaml", keys), environment::get);
  }

  @Test
  void withoutVariablesTheDefaultsHold() {
    ConsulConfig config = read(Map.of(), Map.of());
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8500);
    assertThat(config.https()).isFalse();
    assertThat(config.token()).isEmpty();
  }

  @Test
  void addressWithSchemeSetsHostPortAndHttps() {
    ConsulConfig config =
        read(Map.of(), Map.of("CONSUL_HTTP_ADDR", "https://consul.internal:8501"));
    assertThat(config.host()).isEqualTo("consul.internal");
    assertThat(config.port()).isEqualTo(8501);
    assertThat(config.https()).isTrue();
    assertThat(config.tlsServerName()).isEqualTo("consul.internal");

    ConsulConfig ipv6 = read(Map.of(), Map.of("CONSUL_HTTP_ADDR", "[::1]:8502"));
    assertThat(ipv6.host()).isEqualTo("::1");
    assertThat(ipv6.port()).isEqualTo(8502);
    assertThat(ipv6.https()).isFalse();

    ConsulConfig hostOnly = read(Map.of(), Map.of("CONSUL_HTTP_ADDR", "http://10.0.0.7"));
    assertThat(hostOnly.host()).isEqualTo("10.0.0.7");
    assertThat(hostOnly.port()).isEqualTo(8500);
  }

  @Test
  void sslTurnsHttpsOnAndAddressesAreVerifiedByTheRoleName() {
    ConsulConfig config =
        read(
            Map.of(),
            Map.of(
                "CONSUL_HTTP_ADDR",
                "10.0.0.7:8501",
                "CONSUL_HTTP_SSL",
                "true",
                "CONSUL_CACERT",
                "/etc/consul/ca.pem"));
    assertThat(config.https()).isTrue();
    assertThat(config.caFile()).contains(Path.of("/etc/consul/ca.pem"));
    assertThat(config.tlsServerName()).isEqualTo("meridian-consul");
    assertThat(
            read(Map.of(), Map.of("CONSUL_HTTP_SSL", "true", "CONSUL_TLS_SERVER_NAME", "consul-0"))
                .tlsServerName())
        .isEqualTo("consul-0");
  }

  @Test
  void configKeysWinOverVariables() {
    ConsulConfig config =
        read(
            Map.of(
                "host", "consul.local",
                "port", 9500,
                "https", false,
                "tls-server-name", "consul.example",
                "token-env", "MY_TOKEN"),
            Map.of(
                "CONSUL_HTTP_ADDR", "https://10.0.0.7:8501",
                "CONSUL_HTTP_SSL", "true",
                "CONSUL_TLS_SERVER_NAME", "other",
                "CONSUL_HTTP_TOKEN", "from-consul-variable",
                "MY_TOKEN", "from-config-variable"));
    assertThat(config.host()).isEqualTo("consul.local");
    assertThat(config.port()).isEqualTo(9500);
    assertThat(config.https()).isFalse();
    assertThat(config.tlsServerName()).isEqualTo("consul.example");
    assertThat(config.token()).contains("from-config-variable");
  }

  @Test
  void tokenFromTheVariableThenItsFile() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "  from-file\n");
    assertThat(read(Map.of(), Map.of("CONSUL_HTTP_TOKEN_FILE", file.toString())).token())
        .contains("from-file");
    assertThat(
            read(
                    Map.of(),
                    Map.of(
                        "CONSUL_HTTP_TOKEN", "direct", "CONSUL_HTTP_TOKEN_FILE", file.toString()))
                .token())
        .contains("direct");
    assertThat(
            read(Map.of(), Map.of("MERIDIAN_CONSUL_TOKEN", "ours", "CONSUL_HTTP_TOKEN", "direct"))
                .token())
        .contains("ours");
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> read(Map.of(), Map.of("CONSUL_HTTP_ADDR", "consul:http")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("environment CONSUL_HTTP_ADDR: 'http'");
    assertThatThrownBy(() -> read(Map.of(), Map.of("CONSUL_HTTP_ADDR", "unix:///tmp/consul.sock")))
        .hasMessageStartingWith("environment CONSUL_HTTP_ADDR:");
    assertThatThrownBy(() -> read(Map.of(), Map.of("CONSUL_HTTP_SSL", "yes please")))
        .hasMessage("environment CONSUL_HTTP_SSL: 'yes please' (expected: true or false)");
    assertThatThrownBy(
            () ->
                read(Map.of(), Map.of("CONSUL_HTTP_TOKEN_FILE", dir.resolve("missing").toString())))
        .hasMessageStartingWith("environment CONSUL_HTTP_TOKEN_FILE:");
  }

  @Test
  void anAuthorityWithoutHttpsIsAMistake() {
    assertThatThrownBy(() -> read(Map.of("ca-file", "ca.pem"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("test.yaml: consul.ca-file: ca.pem (expected: only with consul.https: true)");
  }
}
