package dev.meridian.deploy.topology;

import dev.meridian.core.tls.CertificateAuthority;
import dev.meridian.core.tls.TlsFiles;
import dev.meridian.core.tls.TlsPeer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local topology's throwaway certificate authority and one certificate per process identity,
 * under {@code <directory>/tls}: {@code ca.crt}, then {@code <identity>.crt} and {@code .key} for
 * the gateway, the controllers, each region's agent and replicas, the dev Consul, and the command
 * line ({@code cli}, also the identity the tests call with). Each certificate names its role's
 * {@link TlsPeer} DNS name and its host's address. {@link #rotate} issues every certificate again
 * while the processes run, as a rotation would.
 */
public final class TopologyCertificates {
  /** The command line's identity, whose files {@code predict}, {@code bench} and tests use. */
  public static final String CLI = "cli";

  /** The dev Consul's identity, for its HTTPS API. */
  public static final String CONSUL = "consul";

  /** The certificates' directory under the topology's. */
  public static final String DIRECTORY = "tls";

  /** How often the processes look for rotated files. */
  static final Duration REFRESH = Duration.ofSeconds(1);

  private static final Duration VALIDITY = Duration.ofDays(30);

  private final Path directory;
  private final CertificateAuthority authority;
  private final Map<String, List<String>> names = new LinkedHashMap<>();

  private TopologyCertificates(TopologyPlan plan) {
    this.directory = directory(plan);
    this.authority = CertificateAuthority.create("meridian-demo-ca", VALIDITY);
    names.put("gateway", List.of(TlsPeer.GATEWAY.serverName(), plan.gatewayHost()));
    names.put("controller", List.of(TlsPeer.CONTROLLER.serverName(), plan.controlHost()));
    for (String region : plan.regions()) {
      names.put(agent(region), List.of(TlsPeer.REPLICA.serverName(), plan.regionHost(region)));
    }
    List<String> consul = new ArrayList<>(List.of(TlsPeer.CONSUL.serverName()));
    plan.regions().stream().map(plan::consulHost).distinct().forEach(consul::add);
    names.put(CONSUL, consul);
    names.put(CLI, List.of("meridian-" + CLI));
  }

  /** Creates the authority and writes every certificate. */
  static TopologyCertificates issue(TopologyPlan plan) {
    TopologyCertificates certificates = new TopologyCertificates(plan);
    certificates.authority.writeCertificate(authority(plan));
    certificates.rotate();
    return certificates;
  }

  /** The directory of a topology's certificates. */
  public static Path directory(TopologyPlan plan) {
    return plan.directory().resolve(DIRECTORY);
  }

  /** The authority's certificate, which every process of the topology trusts. */
  public static Path authority(TopologyPlan plan) {
    return directory(plan).resolve(TlsFiles.AUTHORITY_FILE);
  }

  /** The identity of {@code region}'s agent and replicas. */
  static String agent(String region) {
    return "agent-" + region;
  }

  /** The files of {@code identity}. */
  public TlsFiles files(String identity) {
    return TlsFiles.in(directory, identity, REFRESH);
  }

  /** Issues every certificate again, with new keys, replacing the files in place. */
  public void rotate() {
    names.forEach(
        (identity, alternatives) -> {
          TlsFiles files = files(identity);
          authority
              .issue("meridian-" + identity, alternatives, VALIDITY)
              .write(files.certificate(), files.key());
        });
  }
}
