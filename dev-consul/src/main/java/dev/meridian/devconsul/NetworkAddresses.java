package dev.meridian.devconsul;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Recognises the syntax of IP literals, host names and {@code host:port}, without ever looking a
 * name up. Stateless.
 */
final class NetworkAddresses {
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*");

  private NetworkAddresses() {}

  /** An IPv4 or IPv6 address literal, such as {@code 10.0.0.1} or {@code fd00::1}. */
  static boolean isIpLiteral(String address) {
    return address != null && (IPV4.matcher(address).matches() || isIpv6Literal(address));
  }

  /** A host name or an IP literal. */
  static boolean isHost(String address) {
    return address != null && (HOST_NAME.matcher(address).matches() || isIpLiteral(address));
  }

  /** The wildcard address of IPv4 ({@code 0.0.0.0}) or IPv6 ({@code ::}). */
  static boolean isWildcard(String address) {
    return isIpLiteral(address) && parseLiteral(address).isAnyLocalAddress();
  }

  /** {@code host:port} with a host name, IPv4 literal or bracketed IPv6 literal, port 1..65535. */
  static boolean isHostAndPort(String value) {
    int colon = value == null ? -1 : value.lastIndexOf(':');
    if (colon <= 0) {
      return false;
    }
    String host = value.substring(0, colon);
    boolean hostValid =
        host.startsWith("[") && host.endsWith("]")
            ? isIpv6Literal(host.substring(1, host.length() - 1))
            : HOST_NAME.matcher(host).matches();
    String port = value.substring(colon + 1);
    if (!hostValid
        || port.isEmpty()
        || port.length() > 5
        || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    int number = Integer.parseInt(port);
    return number >= 1 && number <= 65535;
  }

  /** Parses an address that {@link #isIpLiteral} accepted. */
  static InetAddress parseLiteral(String literal) {
    try {
      // A string with a ':' or of four numbers is parsed as a literal, never looked up.
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + literal, e);
    }
  }

  private static boolean isIpv6Literal(String address) {
    if (!IPV6_CHARACTERS.matcher(address).matches()) {
      return false;
    }
    try {
      InetAddress.getByName(address);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
