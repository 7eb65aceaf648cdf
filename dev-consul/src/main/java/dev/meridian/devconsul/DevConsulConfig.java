package dev.meridian.devconsul;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Immutable configuration of a {@link DevConsul}: its datacenters, ports, bind and advertised
 * addresses, the remote datacenters it reaches over the WAN, ACL token, optional HTTPS files,
 * optional snapshot file and clock. Built with {@link #builder()}, which validates every value and
 * names the offending key, e.g. {@code datacenters: [] (expected: at least one)}.
 */
public final class DevConsulConfig {
  /** The default bind address: loopback only, like {@code consul agent -dev}. */
  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

  private static final Pattern DATACENTER_NAME = Pattern.compile("[a-zA-Z0-9_-]+");

  private final List<String> datacenters;
  private final int basePort;
  private final String bindAddress;
  private final String advertiseAddress;
  private final Map<String, String> wan;
  private final String nodeName;
  private final String aclToken;
  private final Path tlsCertificate;
  private final Path tlsKey;
  private final Path wanAuthority;
  private final Path snapshotFile;
  private final InstantSource clock;
  private final Duration timerInterval;

  private DevConsulConfig(Builder builder, String advertiseAddress) {
    this.datacenters = List.copyOf(builder.datacenters);
    this.basePort = builder.basePort;
    this.bindAddress = builder.bindAddress;
    this.advertiseAddress = advertiseAddress;
    this.wan = Collections.unmodifiableMap(new LinkedHashMap<>(builder.wan));
    this.nodeName = builder.nodeName;
    this.aclToken = builder.aclToken;
    this.tlsCertificate = builder.tlsCertificate;
    this.tlsKey = builder.tlsKey;
    this.wanAuthority = builder.wanAuthority;
    this.snapshotFile = builder.snapshotFile;
    this.clock = builder.clock;
    this.timerInterval = builder.timerInterval;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Datacenter names; the first is the default one. */
  public List<String> datacenters() {
    return datacenters;
  }

  /** Port of the first datacenter; the n-th datacenter listens on basePort + n. 0: ephemeral. */
  public int basePort() {
    return basePort;
  }

  /** The IP address every datacenter's HTTP server listens on; a wildcard means every interface. */
  public String bindAddress() {
    return bindAddress;
  }

  /**
   * The address the API reports for this server (status leader and peers, the agent node, base
   * URIs): the configured one, else the bind address, else for a wildcard bind the host name.
   */
  public String advertiseAddress() {
    return advertiseAddress;
  }

  /**
   * Remote datacenters served by other dev Consul processes, by name, each as the {@code host:port}
   * of its HTTP API; requests naming one with {@code ?dc=} are forwarded there. In configuration
   * order.
   */
  public Map<String, String> wan() {
    return wan;
  }

  /** Node name prefix: datacenter {@code dc1}'s agent node is {@code <nodeName>-dc1}. */
  public String nodeName() {
    return nodeName;
  }

  /** The token every request must carry, when ACLs are on. */
  public Optional<String> aclToken() {
    return Optional.ofNullable(aclToken);
  }

  /**
   * The certificate (PEM) every datacenter's port serves HTTPS with, and its key (PEM, unencrypted
   * PKCS#8); both empty for plain HTTP. With them, requests forwarded over the WAN go over HTTPS
   * too.
   */
  public Optional<Path> tlsCertificate() {
    return Optional.ofNullable(tlsCertificate);
  }

  /** The key of {@link #tlsCertificate()}. */
  public Optional<Path> tlsKey() {
    return Optional.ofNullable(tlsKey);
  }

  /**
   * With HTTPS, the authorities (PEM) the remote datacenters' certificates must chain to; the JDK's
   * when empty. Their certificates must carry the host of their {@link #wan()} address.
   */
  public Optional<Path> wanAuthority() {
    return Optional.ofNullable(wanAuthority);
  }

  /** {@code https} with a certificate, else {@code http}. */
  public String scheme() {
    return tlsCertificate == null ? "http" : "https";
  }

  /** Where state is saved on change and on stop, and loaded from on start. */
  public Optional<Path> snapshotFile() {
    return Optional.ofNullable(snapshotFile);
  }

  /** The clock every TTL, lock-delay and reaper decision reads. */
  public InstantSource clock() {
    return clock;
  }

  /** How often timers (TTL expiry, session TTLs, the reaper) and snapshot saving run. */
  public Duration timerInterval() {
    return timerInterval;
  }

  /** Builds a {@link DevConsulConfig}; not thread-safe. */
  public static final class Builder {
    private List<String> datacenters = List.of("dc1");
    private int basePort = 8500;
    private String bindAddress = DEFAULT_BIND_ADDRESS;
    private String advertiseAddress;
    private Map<String, String> wan = Map.of();
    private String nodeName = "dev-consul";
    private String aclToken;
    private Path tlsCertificate;
    private Path tlsKey;
    private Path wanAuthority;
    private Path snapshotFile;
    private InstantSource clock = InstantSource.system();
    private Duration timerInterval = Duration.ofMillis(250);

    private Builder() {}

    /** Default {@code [dc1]}. */
    public Builder datacenters(List<String> names) {
      this.datacenters = List.copyOf(Objects.requireNonNull(names, "datacenters"));
      return this;
    }

    public Builder datacenters(String... names) {
      return datacenters(List.of(names));
    }

    /** Default 8500 like Consul; 0 binds every datacenter to an ephemeral port. */
    public Builder basePort(int port) {
      this.basePort = port;
      return this;
    }

    /**
     * An IP address; default {@value #DEFAULT_BIND_ADDRESS}, {@code 0.0.0.0} for every interface.
     */
    public Builder bindAddress(String address) {
      this.bindAddress = Objects.requireNonNull(address, "bindAddress");
      return this;
    }

    /**
     * A host name or IP address; null (the default) means the bind address, or the host name when
     * that is a wildcard.
     */
    public Builder advertiseAddress(String address) {
      this.advertiseAddress = address;
      return this;
    }

    /** Remote datacenter name to the {@code host:port} of its HTTP API; default none. */
    public Builder wan(Map<String, String> remotes) {
      this.wan = new LinkedHashMap<>(Objects.requireNonNull(remotes, "wan"));
      return this;
    }

    /** Default {@code dev-consul}. */
    public Builder nodeName(String name) {
      this.nodeName = Objects.requireNonNull(name, "nodeName");
      return this;
    }

    /** Turns ACLs on with this management token; null turns them off (the default). */
    public Builder aclToken(String token) {
      this.aclToken = token;
      return this;
    }

    /** Serves HTTPS with this certificate and key (PEM); nulls mean plain HTTP (the default). */
    public Builder tls(Path certificate, Path key) {
      this.tlsCertificate = certificate;
      this.tlsKey = key;
      return this;
    }

    /** The authorities remote datacenters are checked against; null: the JDK's (the default). */
    public Builder wanAuthority(Path authority) {
      this.wanAuthority = authority;
      return this;
    }

    /** Persists state to this JSON file; null keeps it in memory only (the default). */
    public Builder snapshotFile(Path file) {
      this.snapshotFile = file;
      return this;
    }

    /** Default {@link InstantSource#system()}; tests pass a {@link ManualClock}. */
    public Builder clock(InstantSource source) {
      this.clock = Objects.requireNonNull(source, "clock");
      return this;
    }

    /** Default 250 ms. */
    public Builder timerInterval(Duration interval) {
      this.timerInterval = Objects.requireNonNull(interval, "timerInterval");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the offending key and what was expected
     */
    public DevConsulConfig build() {
      if (datacenters.isEmpty()) {
        throw invalid("datacenters", datacenters, "at least one");
      }
      for (String name : datacenters) {
        if (!DATACENTER_NAME.matcher(name).matches()) {
          throw invalid("datacenters", datacenters, "names of letters, digits, '-' and '_'");
        }
      }
      if (new HashSet<>(datacenters).size() != datacenters.size()) {
        throw invalid("datacenters", datacenters, "distinct names");
      }
      int highest = 65535 - (datacenters.size() - 1);
      if (basePort < 0 || basePort > highest) {
        throw invalid("basePort", basePort, "0.." + highest);
      }
      validateBindAddress();
      String advertised = resolveAdvertiseAddress();
      validateWan();
      if (!DATACENTER_NAME.matcher(nodeName).matches()) {
        throw invalid("nodeName", "\"" + nodeName + "\"", "letters, digits, '-' and '_'");
      }
      if (aclToken != null && aclToken.isBlank()) {
        throw invalid("aclToken", "\"" + aclToken + "\"", "a non-blank token, or none");
      }
      if ((tlsCertificate == null) != (tlsKey == null)) {
        throw invalid(
            "tls", tlsCertificate + ", " + tlsKey, "a certificate and its key, or neither");
      }
      if (wanAuthority != null && tlsCertificate == null) {
        throw invalid("wanAuthority", wanAuthority, "only with a TLS certificate and key");
      }
      if (timerInterval.isNegative() || timerInterval.isZero()) {
        throw invalid("timerInterval", timerInterval, "> 0");
      }
      return new DevConsulConfig(this, advertised);
    }

    private void validateBindAddress() {
      if (!NetworkAddresses.isIpLiteral(bindAddress)) {
        throw invalid("bindAddress", "\"" + bindAddress + "\"", "an IPv4 or IPv6 address");
      }
    }

    private String resolveAdvertiseAddress() {
      if (advertiseAddress != null) {
        if (!NetworkAddresses.isHost(advertiseAddress)
            || NetworkAddresses.isWildcard(advertiseAddress)) {
          throw invalid(
              "advertiseAddress",
              "\"" + advertiseAddress + "\"",
              "a host name or an IP address that is not a wildcard");
        }
        return advertiseAddress;
      }
      if (!NetworkAddresses.isWildcard(bindAddress)) {
        return bindAddress;
      }
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        throw invalid(
            "advertiseAddress",
            "none",
            "an address, since bindAddress "
                + bindAddress
                + " is a wildcard and "
                + e.getMessage());
      }
    }

    private void validateWan() {
      for (Map.Entry<String, String> remote : wan.entrySet()) {
        String name = remote.getKey();
        if (name == null || !DATACENTER_NAME.matcher(name).matches()) {
          throw invalid(
              "wan", "\"" + name + "\"", "datacenter names of letters, digits, '-' and '_'");
        }
        if (datacenters.contains(name)) {
          throw invalid(
              "wan", "\"" + name + "\"", "datacenters not served here, not one of " + datacenters);
        }
        if (!NetworkAddresses.isHostAndPort(remote.getValue())) {
          throw invalid(
              "wan." + name,
              "\"" + remote.getValue() + "\"",
              "host:port of its HTTP API, e.g. 10.0.0.2:8500");
        }
      }
    }

    private static IllegalArgumentException invalid(String key, Object value, String expected) {
      return new IllegalArgumentException(key + ": " + value + " (expected: " + expected + ")");
    }
  }
}
