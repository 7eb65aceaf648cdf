package dev.meridian.controller.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The operators tests log in as: one per role, each with a token, and {@code ci-bot} (a viewer)
 * known by the CN of the test certificate {@code ci-bot.pem}. Hashes use the fewest iterations
 * allowed, to keep tests quick.
 */
final class TestOperators {
  static final String VIEWER_TOKEN = "viewer-token";
  static final String OPERATOR_TOKEN = "operator-token";
  static final String ADMIN_TOKEN = "admin-token";
  static final String CI_CN = "ci-bot.meridian.test";

  private TestOperators() {}

  /** The stored form of {@code token}. */
  static String hash(String token) {
    return TokenHash.of(token, TokenHash.MIN_ITERATIONS).toString();
  }

  /** An operators file entry for {@code name} with {@code token}. */
  static String entry(String name, String role, String token) {
    return "  - {name: " + name + ", role: " + role + ", token-hash: '" + hash(token) + "'}\n";
  }

  /** Writes the operators file to {@code file}. */
  static Path write(Path file) throws IOException {
    Files.writeString(
        file,
        "operators:\n"
            + entry("vera", "viewer", VIEWER_TOKEN)
            + entry("otto", "operator", OPERATOR_TOKEN)
            + entry("ada", "admin", ADMIN_TOKEN)
            + "  - {name: ci-bot, role: viewer, certificate-cn: "
            + CI_CN
            + "}\n",
        StandardCharsets.UTF_8);
    return file;
  }
}
