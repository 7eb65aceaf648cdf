package dev.meridian.deploy;

import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Parses {@code host:port} addresses typed on the command line and opens channels to them. */
final class Endpoints {
  private Endpoints() {}

  /**
   * Opens a channel to {@code target}, a server of role {@code peer}.
   *
   * @param option the option that gave the address, named in errors
   */
  static ManagedChannel channel(
      String option,
      String target,
      TransportSecurity security,
      TlsPeer peer,
      ClientInterceptor... interceptors) {
    InetSocketAddress address = parse(option, target);
    return security
        .channel(address.getHostString(), address.getPort(), peer)
        .intercept(interceptors)
        .build();
  }

  /** A failed call as people read it: {@code CODE: description (what the connection said)}. */
  static String describe(StatusRuntimeException failure) {
    Status status = failure.getStatus();
    String text =
        status.getDescription() == null
            ? status.getCode().toString()
            : status.getCode() + ": " + status.getDescription();
    // A connection that failed (refused, TLS handshake) says why only in its cause.
    Throwable cause = status.getCause();
    if (cause == null) {
      return text;
    }
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return text + " (" + cause.getMessage() + ")";
  }

  /**
   * Parses {@code host:port[,host:port...]}.
   *
   * @param option the option being parsed, named in errors
   * @throws IllegalArgumentException naming the bad entry
   */
  static List<InetSocketAddress> parseList(String option, String list) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String entry : list.split(",", -1)) {
      addresses.add(parse(option, entry.trim()));
    }
    return addresses;
  }

  /** Parses one {@code host:port}. */
  static InetSocketAddress parse(String option, String entry) {
    int colon = entry.lastIndexOf(':');
    if (colon <= 0 || colon == entry.length() - 1) {
      throw new IllegalArgumentException(option + ": '" + entry + "' (expected: host:port)");
    }
    try {
      int port = Integer.parseInt(entry.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            option + ": '" + entry + "' (expected: a port in 1..65535)");
      }
      return InetSocketAddress.createUnresolved(entry.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": '" + entry + "' (expected: host:port)", e);
    }
  }
}
