package dev.meridian.devconsul;

/** Writes a host and port as {@code host:port}, bracketing IPv6 literals. Stateless. */
final class HostPort {
  private HostPort() {}

  static String format(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
