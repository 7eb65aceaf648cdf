package dev.meridian.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The keys of one listener, under its section: {@code <section>.host} (bound), {@code
 * <section>.port} and {@code <section>.advertise-host}, which defaults to the bound host, or to
 * this machine's host name when the bound host is a wildcard.
 */
public final class ListenerSettings {
  private final Setting<String> host;
  private final Setting<Integer> port;
  private final Setting<String> advertiseHost;

  private ListenerSettings(String section, int defaultPort, String what) {
    this.host =
        Setting.text(section + ".host")
            .withDefault(ListenAddress.DEFAULT_HOST)
            .means("address " + what + " binds; `0.0.0.0` binds every interface");
    this.port =
        defaultPort < 0
            ? null
            : Setting.integer(section + ".port", 0, 65535)
                .withDefault(defaultPort)
                .means("port " + what + " listens on; `0` picks a free one");
    this.advertiseHost =
        Setting.text(section + ".advertise-host")
            .derivedWhenAbsent("`host`, or this machine's name if `host` is a wildcard")
            .means("address or host name others reach " + what + " on");
  }

  /** The keys of a listener with a port, {@code defaultPort} unless configured. */
  public static ListenerSettings of(String section, int defaultPort, String what) {
    return new ListenerSettings(section, defaultPort, what);
  }

  /** The keys of listeners whose ports are always picked free (each started on port 0). */
  public static ListenerSettings withoutPort(String section, String what) {
    return new ListenerSettings(section, -1, what);
  }

  /** The port key. */
  public Setting<Integer> port() {
    if (port == null) {
      throw new IllegalStateException(host.key() + ": this listener has no port key");
    }
    return port;
  }

  /** Every key, for the role's schema. */
  public List<Setting<?>> all() {
    return port == null ? List.of(host, advertiseHost) : List.of(host, port, advertiseHost);
  }

  /**
   * Reads the listener from {@code section}, the mapping that holds its keys.
   *
   * @throws ConfigException naming the key when a value is bad, or when the host is a wildcard and
   *     this machine's name cannot be found
   */
  public ListenAddress read(ConfigNode section) {
    String bound = host.read(section);
    int boundPort = port == null ? 0 : port.read(section);
    String advertised =
        advertiseHost.readOptional(section).orElseGet(() -> defaultAdvertised(section, bound));
    return new ListenAddress(bound, boundPort, advertised);
  }

  private String defaultAdvertised(ConfigNode section, String bound) {
    if (!ListenAddress.isWildcard(bound)) {
      return bound;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw section.invalid(
          advertiseHost.leaf(), null, "an address: host is a wildcard and " + e.getMessage());
    }
  }
}
