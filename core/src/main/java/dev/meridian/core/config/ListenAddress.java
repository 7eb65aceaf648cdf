package dev.meridian.core.config;

/**
 * Where a server listens and the address others are told to reach it on, which differ as soon as a
 * process binds a wildcard or sits behind a name: {@code host} is bound, {@code advertiseHost} (an
 * address or a host name) is what registrations, logs and peers use.
 *
 * @param host the address bound
 * @param port the port bound; 0 picks a free one, which is then the port advertised
 * @param advertiseHost the address or host name others reach this server on
 */
public record ListenAddress(String host, int port, String advertiseHost) {
  /** The bind address every listener defaults to, so that a demo on one machine stays local. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Whether {@code host} binds every interface. */
  public static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /** {@code advertiseHost:port} for a server bound to {@code boundPort}, IPv6 in brackets. */
  public String advertised(int boundPort) {
    String name = advertiseHost.contains(":") ? "[" + advertiseHost + "]" : advertiseHost;
    return name + ":" + boundPort;
  }
}
