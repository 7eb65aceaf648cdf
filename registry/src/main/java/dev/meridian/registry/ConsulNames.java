package dev.meridian.registry;

import java.util.regex.Pattern;

/**
 * Checks the names Meridian puts in Consul URLs. The {@code consul-api} client pastes keys, IDs and
 * tags into URLs without encoding them, so Meridian restricts them to characters that need none
 * rather than trusting every caller to encode.
 */
public final class ConsulNames {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*/?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._~:-]+");

  private ConsulNames() {}

  /**
   * Checks a KV key (segments of letters, digits and {@code . _ ~ -} separated by {@code /}).
   *
   * @throws IllegalArgumentException naming the key
   */
  public static String key(String key) {
    if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
      throw new IllegalArgumentException(
          "Consul key '"
              + key
              + "' (expected: segments of letters, digits, '.', '_', '~', '-' separated by '/')");
    }
    return key;
  }

  /**
   * Checks a service name, service or check ID, session ID, tag or datacenter.
   *
   * @param what what the name is, for the error message
   * @throws IllegalArgumentException naming it
   */
  public static String name(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + ": '" + name + "' (expected: letters, digits, '.', '_', '~', ':', '-')");
    }
    return name;
  }
}
