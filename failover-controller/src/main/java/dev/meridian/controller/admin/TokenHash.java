package dev.meridian.controller.admin;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A bearer token as the operators file stores it: salted and slowly hashed with PBKDF2 (HMAC
 * SHA-256), in the form {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}, so that
 * the file gives away no token and guessing one from it is slow. {@link #matches} takes as long as
 * the iterations say (about 0.1 s at {@value #DEFAULT_ITERATIONS}); callers cache the outcome.
 * Immutable.
 */
public final class TokenHash {
  /** The iterations {@link #of(String)} uses, OWASP's 2023 advice for PBKDF2-HMAC-SHA256. */
  public static final int DEFAULT_ITERATIONS = 210_000;

  /** The fewest iterations a stored form may state; fewer make guessing cheap. */
  public static final int MIN_ITERATIONS = 10_000;

  /** What {@link #parse} accepts, for messages. */
  public static final String FORM =
      "pbkdf2-sha256$ITERATIONS$SALT$HASH (SALT, HASH in base64; ITERATIONS >= "
          + MIN_ITERATIONS
          + ")";

  private static final String SCHEME = "pbkdf2-sha256";
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private TokenHash(int iterations, byte[] salt, byte[] hash) {
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  /**
   * Derives one throwaway hash on a thread of its own, so that the derivation is compiled before
   * the first operator's call: run by the interpreter, one hash takes seconds on a busy machine.
   */
  public static void warmUpInBackground() {
    Thread thread = new Thread(() -> of("warm-up"), "token-hash-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  /** Hashes {@code token} with a fresh random salt and {@link #DEFAULT_ITERATIONS}. */
  public static TokenHash of(String token) {
    return of(token, DEFAULT_ITERATIONS);
  }

  /** Hashes {@code token} with a fresh random salt and {@code iterations}. */
  public static TokenHash of(String token, int iterations) {
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException(
          "iterations: " + iterations + " (expected: >= " + MIN_ITERATIONS + ")");
    }
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new TokenHash(iterations, salt, derive(token, salt, iterations));
  }

  /** Reads the stored form; empty when {@code stored} is not of the form {@link #FORM}. */
  public static Optional<TokenHash> parse(String stored) {
    String[] parts = stored.split("\\$", -1);
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      return Optional.empty();
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] hash = Base64.getDecoder().decode(parts[3]);
      if (iterations < MIN_ITERATIONS || salt.length == 0 || hash.length != HASH_BITS / 8) {
        return Optional.empty();
      }
      return Optional.of(new TokenHash(iterations, salt, hash));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code token} is the hashed one; compares in constant time. Slow by design. */
  public boolean matches(String token) {
    return MessageDigest.isEqual(derive(token, salt, iterations), hash);
  }

  /** The stored form, {@link #FORM}. */
  @Override
  public String toString() {
    Base64.Encoder base64 = Base64.getEncoder();
    return SCHEME
        + "$"
        + iterations
        + "$"
        + base64.encodeToString(salt)
        + "$"
        + base64.encodeToString(hash);
  }

  private static byte[] derive(String token, byte[] salt, int iterations) {
    KeySpec spec = new PBEKeySpec(token.toCharArray(), salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has " + ALGORITHM, e);
    }
  }
}
