package dev.meridian.deploy.topology.net;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One end of a {@link NetworkLab}'s network: a host in a network namespace of its own, or the root
 * namespace's end (where the test JVM runs, see {@link NetworkLab#root()}).
 */
public final class Host {
  private final String name;
  private final Optional<String> namespace;
  private final Inet4Address address;
  private final String ipCommand;

  Host(String name, Optional<String> namespace, Inet4Address address, String ipCommand) {
    this.name = name;
    this.namespace = namespace;
    this.address = address;
    this.ipCommand = ipCommand;
  }

  /** The name the lab was given for this host, e.g. {@code eu-west}; {@code root} for the root. */
  public String name() {
    return name;
  }

  /**
   * The host's network namespace, e.g. {@code mlab-eu-west}.
   *
   * @throws IllegalStateException for the {@linkplain #isRoot() root end}, which has none of its
   *     own
   */
  public String namespace() {
    return namespace.orElseThrow(
        () -> new IllegalStateException("the root end of the lab is in the root namespace"));
  }

  /** Whether this is the root namespace's end of the lab rather than a host. */
  public boolean isRoot() {
    return namespace.isEmpty();
  }

  /** The host's address on the lab's network, e.g. {@code 10.203.0.2}. */
  public Inet4Address address() {
    return address;
  }

  /** {@link #address()} as text, e.g. {@code 10.203.0.2}. */
  public String ip() {
    return address.getHostAddress();
  }

  /**
   * The command line that runs {@code argv} inside this host's namespace: {@code ip netns exec <ns>
   * argv...}. {@code ip} execs the command, so the process started is the command itself (its pid
   * is the command's). For the root end, {@code argv} unchanged.
   */
  public List<String> command(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("no command to run in " + this);
    }
    if (namespace.isEmpty()) {
      return List.copyOf(argv);
    }
    List<String> command = new ArrayList<>(List.of(ipCommand, "netns", "exec", namespace.get()));
    command.addAll(argv);
    return List.copyOf(command);
  }

  /** {@link #command(List)} of {@code argv}. */
  public List<String> command(String... argv) {
    return command(List.of(argv));
  }

  @Override
  public String toString() {
    return name
        + "("
        + ip()
        + namespace.map(ns -> " in " + ns).orElse(" in the root namespace")
        + ")";
  }
}
