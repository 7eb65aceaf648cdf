package dev.meridian.deploy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Parses {@code host:port} lists typed on the command line. */
final class Endpoints {
  private Endpoints() {}

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
