package dev.meridian.deploy;

import dev.meridian.core.config.ConfigNode;
import dev.meridian.registry.ConsulConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * How a command that talks to Consul itself reaches it: the {@code consul} section of a role's
 * config file ({@code --consul-config}), or the options below, either way beneath Consul's standard
 * {@code CONSUL_*} variables as every role reads them (CONSUL_HTTP_ADDR, CONSUL_HTTP_SSL,
 * CONSUL_CACERT, CONSUL_TLS_SERVER_NAME; the ACL token from MERIDIAN_CONSUL_TOKEN,
 * CONSUL_HTTP_TOKEN or CONSUL_HTTP_TOKEN_FILE, never from an option).
 */
final class ConsulOptions {
  @Option(
      names = "--consul-config",
      paramLabel = "FILE",
      description =
          "A role's YAML file (e.g. a controller's) whose consul section says how to reach Consul;"
              + " excludes the other --consul options.")
  Path configFile;

  @Option(
      names = "--consul",
      paramLabel = "HOST:PORT",
      description = "Consul's HTTP(S) API (default: $CONSUL_HTTP_ADDR, else 127.0.0.1:8500).")
  String address;

  @Option(
      names = "--consul-https",
      description =
          "Speak HTTPS to Consul (default: when $CONSUL_HTTP_ADDR is https:// or"
              + " $CONSUL_HTTP_SSL is true).")
  boolean https;

  @Option(
      names = "--consul-ca-file",
      paramLabel = "FILE",
      description =
          "With HTTPS, the authorities (PEM) Consul's certificate must chain to"
              + " (default: $CONSUL_CACERT, else the JDK's).")
  Path caFile;

  @Option(
      names = "--consul-tls-server-name",
      paramLabel = "NAME",
      description =
          "With HTTPS, the name Consul's certificate must carry"
              + " (default: $CONSUL_TLS_SERVER_NAME, else the host, or consul for an address).")
  String tlsServerName;

  /**
   * The connection these options describe or, when none of them is given and {@code fallback}
   * exists, that of the {@code consul} section of the role's file {@code fallback} (the demo's).
   *
   * @param environment looks up environment variables ({@code System::getenv})
   */
  ConsulConfig configOr(Path fallback, Function<String, String> environment) {
    boolean given = configFile != null || address != null || https || caFile != null;
    if (!given && tlsServerName == null && Files.exists(fallback)) {
      return ConsulConfig.fromConfig(ConfigNode.load(fallback).child("consul"), environment);
    }
    return config(environment);
  }

  /**
   * The connection these options describe.
   *
   * @param environment looks up environment variables ({@code System::getenv})
   * @throws IllegalArgumentException naming the option that is wrong
   * @throws dev.meridian.core.config.ConfigException naming the file key or variable that is wrong
   */
  ConsulConfig config(Function<String, String> environment) {
    if (configFile != null) {
      if (address != null || https || caFile != null || tlsServerName != null) {
        throw new IllegalArgumentException(
            "--consul-config: give either a config file or --consul, --consul-https,"
                + " --consul-ca-file and --consul-tls-server-name, not both");
      }
      return ConsulConfig.fromConfig(ConfigNode.load(configFile).child("consul"), environment);
    }
    Map<String, Object> consul = new LinkedHashMap<>();
    if (address != null) {
      int colon = address.lastIndexOf(':');
      String port = colon > 0 ? address.substring(colon + 1) : "";
      if (!port.matches("[0-9]{1,5}")) {
        throw new IllegalArgumentException(
            "--consul: '" + address + "' (expected: host:port, e.g. 127.0.0.1:8500)");
      }
      consul.put(ConsulConfig.HOST.leaf(), address.substring(0, colon));
      consul.put(ConsulConfig.PORT.leaf(), Integer.parseInt(port));
    }
    if (https) {
      consul.put(ConsulConfig.HTTPS.leaf(), true);
    }
    if (caFile != null) {
      consul.put(ConsulConfig.CA_FILE.leaf(), caFile.toString());
    }
    if (tlsServerName != null) {
      consul.put(ConsulConfig.TLS_SERVER_NAME.leaf(), tlsServerName);
    }
    return ConsulConfig.fromConfig(
        ConfigNode.of("the --consul options", Map.of("consul", consul)).child("consul"),
        environment);
  }
}
