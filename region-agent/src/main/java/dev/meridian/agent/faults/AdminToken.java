package dev.meridian.agent.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin token fault-injection calls must carry, read from the file {@code faults.token-file}
 * names (surrounding whitespace dropped). Only its SHA-256 digest is kept, and a presented token is
 * compared digest to digest with {@link MessageDigest#isEqual}, in time independent of where they
 * differ. Immutable.
 */
public final class AdminToken {
  private final byte[] digest;

  private AdminToken(String token) {
    this.digest = sha256(token);
  }

  /**
   * Reads the token in {@code file}.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or holds no token
   */
  public static AdminToken read(Path file) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read the admin token: " + e, e);
    }
    if (token.isEmpty()) {
      throw new IllegalArgumentException(file + ": holds no admin token");
    }
    return new AdminToken(token);
  }

  /** Whether {@code presented} is the token. */
  public boolean matches(String presented) {
    return MessageDigest.isEqual(digest, sha256(presented));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
