package dev.meridian.registry;

import dev.meridian.core.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The standard environment variables of Consul's clients, which every role honours beneath its
 * {@code consul.*} keys: {@value #ADDRESS} ({@code host:port}, optionally with {@code http://} or
 * {@code https://}), {@value #TOKEN}, {@value #TOKEN_FILE}, {@value #SSL} ({@code true} means
 * HTTPS), {@value #CA_CERT} and {@value #SERVER_NAME}. Unset and blank variables count as absent.
 *
 * @param host the host of {@value #ADDRESS}
 * @param port its port, when it names one
 * @param https whether {@value #ADDRESS} says {@code https://} or {@value #SSL} is true
 * @param token {@value #TOKEN}, else the content of the file {@value #TOKEN_FILE} names
 * @param authority {@value #CA_CERT}
 * @param serverName {@value #SERVER_NAME}
 */
record ConsulEnvironment(
    Optional<String> host,
    Optional<Integer> port,
    boolean https,
    Optional<String> token,
    Optional<Path> authority,
    Optional<String> serverName) {
  static final String ADDRESS = "CONSUL_HTTP_ADDR";
  static final String TOKEN = "CONSUL_HTTP_TOKEN";
  static final String TOKEN_FILE = "CONSUL_HTTP_TOKEN_FILE";
  static final String SSL = "CONSUL_HTTP_SSL";
  static final String CA_CERT = "CONSUL_CACERT";
  static final String SERVER_NAME = "CONSUL_TLS_SERVER_NAME";

  private static final String HTTP = "http://";
  private static final String HTTPS = "https://";

  /**
   * Reads the variables through {@code environment}.
   *
   * @throws ConfigException naming the variable whose value is bad, or whose token file is
   *     unreadable
   */
  static ConsulEnvironment read(Function<String, String> environment) {
    Optional<String> address = variable(environment, ADDRESS);
    String hostAndPort = address.map(ConsulEnvironment::withoutScheme).orElse("");
    int colon = portSeparator(hostAndPort);
    Optional<Integer> port =
        colon < 0 ? Optional.empty() : Optional.of(port(hostAndPort.substring(colon + 1)));
    String host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
    boolean https =
        address.filter(value -> value.startsWith(HTTPS)).isPresent()
            || variable(environment, SSL).map(ConsulEnvironment::flag).orElse(false);
    return new ConsulEnvironment(
        address.isEmpty() ? Optional.empty() : Optional.of(unbracketed(host)),
        port,
        https,
        variable(environment, TOKEN)
            .or(
                () ->
                    variable(environment, TOKEN_FILE)
                        .map(Path::of)
                        .map(ConsulEnvironment::tokenIn)),
        variable(environment, CA_CERT).map(Path::of),
        variable(environment, SERVER_NAME));
  }

  private static Optional<String> variable(Function<String, String> environment, String name) {
    return Optional.ofNullable(environment.apply(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static String withoutScheme(String address) {
    String rest =
        address.startsWith(HTTPS)
            ? address.substring(HTTPS.length())
            : address.startsWith(HTTP) ? address.substring(HTTP.length()) : address;
    if (rest.isEmpty() || rest.contains("/") || rest.startsWith(":")) {
      throw invalid(ADDRESS, address, "host:port, optionally after http:// or https://");
    }
    return rest;
  }

  /**
   * The colon before the port, or -1: {@code [::1]:8500} and {@code host:8500} have one, {@code
   * ::1} none.
   */
  private static int portSeparator(String hostAndPort) {
    int last = hostAndPort.lastIndexOf(':');
    boolean bracketed = hostAndPort.startsWith("[");
    if (last < 0 || (!bracketed && hostAndPort.indexOf(':') != last)) {
      return -1;
    }
    return bracketed && last < hostAndPort.indexOf(']') ? -1 : last;
  }

  private static String unbracketed(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static int port(String text) {
    try {
      return ConsulConfig.PORT.check(Integer.parseInt(text));
    } catch (IllegalArgumentException e) {
      throw invalid(ADDRESS, text, "a port of 1..65535 after the host");
    }
  }

  private static boolean flag(String text) {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw invalid(SSL, text, "true or false");
    };
  }

  private static String tokenIn(Path file) {
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw invalid(TOKEN_FILE, file.toString(), "a file holding a token, not an empty one");
      }
      return token;
    } catch (IOException e) {
      throw invalid(TOKEN_FILE, file.toString(), "a readable file (" + e.getMessage() + ")");
    }
  }

  private static ConfigException invalid(String variable, String value, String expected) {
    return new ConfigException(
        "environment " + variable + ": '" + value + "' (expected: " + expected + ")");
  }
}
