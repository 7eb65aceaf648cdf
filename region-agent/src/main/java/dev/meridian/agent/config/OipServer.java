package dev.meridian.agent.config;

import dev.meridian.core.config.ListenAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The external Open Inference Protocol server behind a model of type {@code oip}: a command the
 * agent starts and supervises like its own replica processes, or the address of a server it
 * attaches to and does not start. Immutable.
 */
public sealed interface OipServer {
  /** Where the command puts the port the agent allocated for the server. */
  String PORT_PLACEHOLDER = "{port}";

  /** Where the command puts the host the server is to bind, {@code replicas.host}. */
  String HOST_PLACEHOLDER = "{host}";

  /**
   * A server the agent starts: {@code argv} with {@link #PORT_PLACEHOLDER} and {@link
   * #HOST_PLACEHOLDER} replaced in every argument.
   *
   * @param argv the program and its arguments; {@code {port}} appears in at least one
   */
  record Command(List<String> argv) implements OipServer {
    /** Copies the arguments. */
    public Command {
      argv = List.copyOf(argv);
    }

    /** The command line for a server on {@code host} and {@code port}. */
    public List<String> commandLine(String host, int port) {
      return argv.stream()
          .map(
              arg ->
                  arg.replace(PORT_PLACEHOLDER, Integer.toString(port))
                      .replace(HOST_PLACEHOLDER, host))
          .toList();
    }
  }

  /**
   * A running server the agent attaches to, registers and probes, but does not start or stop.
   *
   * @param host its host name or address
   * @param port its gRPC port
   */
  record Address(String host, int port) implements OipServer {
    /** Validates the fields. */
    public Address {
      Objects.requireNonNull(host, "host");
    }

    /** Parses {@code host:port}, an IPv6 address in brackets; empty if {@code text} is not one. */
    public static Optional<Address> parse(String text) {
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        return Optional.empty();
      }
      String host = text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.isBlank() || host.contains("[") || host.contains("]")) {
        return Optional.empty();
      }
      try {
        int port = Integer.parseInt(text.substring(colon + 1));
        return port >= 1 && port <= 65_535
            ? Optional.of(new Address(host, port))
            : Optional.empty();
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    /** {@code host:port}, an IPv6 address in brackets. */
    @Override
    public String toString() {
      return new ListenAddress(host, port, host).advertised(port);
    }
  }
}
