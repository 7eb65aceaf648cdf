package dev.meridian.devconsul;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Immutable configuration of a {@link DevConsul}: its datacenters, ports, ACL token, optional
 * snapshot file and clock. Built with {@link #builder()}, which validates every value and names the
 * offending key, e.g. {@code datacenters: [] (expected: at least one)}.
 */
public final class DevConsulConfig {
  private static final Pattern DATACENTER_NAME = Pattern.compile("[a-zA-Z0-9_-]+");

  private final List<String> datacenters;
  private final int basePort;
  private final String nodeName;
  private final String aclToken;
  private final Path snapshotFile;
  private final InstantSource clock;
  private final Duration timerInterval;

  private DevConsulConfig(Builder builder) {
    this.datacenters = List.copyOf(builder.datacenters);
    this.basePort = builder.basePort;
    this.nodeName = builder.nodeName;
    this.aclToken = builder.aclToken;
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

  /** Node name prefix: datacenter {@code dc1}'s agent node is {@code <nodeName>-dc1}. */
  public String nodeName() {
    return nodeName;
  }

  /** The token every request must carry, when ACLs are on. */
  public Optional<String> aclToken() {
    return Optional.ofNullable(aclToken);
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
    private String nodeName = "dev-consul";
    private String aclToken;
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
      if (!DATACENTER_NAME.matcher(nodeName).matches()) {
        throw invalid("nodeName", "\"" + nodeName + "\"", "letters, digits, '-' and '_'");
      }
      if (aclToken != null && aclToken.isBlank()) {
        throw invalid("aclToken", "\"" + aclToken + "\"", "a non-blank token, or none");
      }
      if (timerInterval.isNegative() || timerInterval.isZero()) {
        throw invalid("timerInterval", timerInterval, "> 0");
      }
      return new DevConsulConfig(this);
    }

    private static IllegalArgumentException invalid(String key, Object value, String expected) {
      return new IllegalArgumentException(key + ": " + value + " (expected: " + expected + ")");
    }
  }
}
