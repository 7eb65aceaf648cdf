package dev.meridian.deploy;

import dev.meridian.devconsul.DevConsul;
import dev.meridian.devconsul.DevConsulConfig;
import dev.meridian.registry.ConsulConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the embedded development Consul: one HTTP agent port per datacenter, speaking the subset of
 * Consul's API that Meridian uses, and forwarding requests for remote datacenters ({@code --wan})
 * to the dev Consul processes that serve them. For laptops and tests, not for production.
 */
@Command(
    name = "dev-consul",
    description =
        "Run the embedded development Consul (one port per datacenter) until interrupted. "
            + "A development and test server, not a production Consul.")
final class DevConsulCommand implements Callable<Integer> {
  /** The environment variable holding the ACL token, so it never shows in a process list. */
  static final String TOKEN_VARIABLE = ConsulConfig.DEFAULT_TOKEN_ENV;

  @Option(
      names = "--datacenters",
      split = ",",
      defaultValue = "eu-west,us-east",
      description = "Datacenters, one per region (default: ${DEFAULT-VALUE}).")
  List<String> datacenters;

  @Option(
      names = "--port",
      defaultValue = "8500",
      description = "Port of the first datacenter; the others follow (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      defaultValue = DevConsulConfig.DEFAULT_BIND_ADDRESS,
      description =
          "IP address every datacenter's port listens on; 0.0.0.0 for every interface"
              + " (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--advertise",
      description =
          "Address the API reports for this server (status, catalog node, URIs)"
              + " (default: the bind address, or the host name when that is a wildcard).")
  String advertise;

  @Option(
      names = "--wan",
      split = ",",
      paramLabel = "DC=HOST:PORT",
      description =
          "A remote datacenter served by another dev Consul, by the address of its HTTP API;"
              + " requests with ?dc=DC are forwarded there. Repeatable or comma-separated.")
  Map<String, String> wan = new LinkedHashMap<>();

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "Serve HTTPS on every port with this certificate (PEM), and forward over HTTPS;"
              + " needs --tls-key (default: plain HTTP).")
  Path tlsCertificate;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The key of --tls-cert (PEM, unencrypted PKCS#8).")
  Path tlsKey;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description =
          "With --tls-cert, the authorities (PEM) the --wan datacenters' certificates must chain"
              + " to; they must carry the host of their --wan address (default: the JDK's).")
  Path tlsAuthority;

  @Option(names = "--snapshot", description = "Keep state in this JSON file across restarts.")
  Path snapshot;

  @Override
  public Integer call() throws InterruptedException {
    DevConsulConfig.Builder config =
        DevConsulConfig.builder()
            .datacenters(datacenters)
            .basePort(port)
            .bindAddress(bind)
            .advertiseAddress(advertise)
            .wan(wan)
            .tls(tlsCertificate, tlsKey)
            .wanAuthority(tlsAuthority);
    String token = System.getenv(TOKEN_VARIABLE);
    if (token != null && !token.isBlank()) {
      config.aclToken(token);
    }
    if (snapshot != null) {
      config.snapshotFile(snapshot);
    }
    DevConsulConfig built = config.build();
    DevConsul consul = new DevConsul(built).start();
    for (String datacenter : consul.datacenters()) {
      System.out.println("datacenter " + datacenter + ": " + consul.uri(datacenter));
    }
    built
        .wan()
        .forEach(
            (datacenter, address) ->
                System.out.println(
                    "wan datacenter " + datacenter + ": " + built.scheme() + "://" + address));
    System.out.println(
        "dev Consul is up (development and test server, not a production Consul)"
            + (token == null || token.isBlank() ? "" : "; ACL token required"));
    System.out.flush();
    ServeUntilStopped.serve(List.of(consul));
    return 0;
  }
}
