package dev.meridian.controller.admin;

import dev.meridian.core.Ticker;
import dev.meridian.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the operator behind a token or a client certificate, in the operators file as it is now:
 * every lookup first compares the file's modification time, size and identity with those of the
 * version in use (one {@code stat}), and reads it again when they differ. A new version that cannot
 * be read is logged and the one in use kept. Verified tokens are cached ({@link VerifiedTokens},
 * {@value #CACHE_ENTRIES} of them for {@link #CACHE_TTL}); each version has a cache of its own.
 * Thread-safe.
 */
public final class OperatorDirectory {
  private static final Logger logger = LoggerFactory.getLogger(OperatorDirectory.class);

  /** How long a verified token is trusted without hashing it again. */
  static final Duration CACHE_TTL = Duration.ofMinutes(5);

  /** How many verified tokens are remembered. */
  static final int CACHE_ENTRIES = 1024;

  private final Optional<Path> file;
  private final Ticker ticker;
  // Replaced whole on reload; lookups read one consistent version.
  private volatile Version version;

  /** One version of the file: its operators, their verified tokens, and the file's stamp. */
  private record Version(Operators operators, VerifiedTokens verified, Optional<Stamp> stamp) {}

  /** What tells one version of a file from the next without reading it. */
  private record Stamp(FileTime modified, long size, Object key) {}

  private OperatorDirectory(
      Optional<Path> file, Operators operators, Optional<Stamp> stamp, Ticker ticker) {
    this.file = file;
    this.ticker = ticker;
    this.version = version(operators, stamp);
  }

  /**
   * Serves the operators of {@code file}, reloading it when it changes.
   *
   * @throws ConfigException when the file cannot be read now, naming the file and the key
   */
  public static OperatorDirectory watching(Path file, Ticker ticker) {
    Optional<Stamp> stamp = Optional.ofNullable(stampOrNull(file));
    return new OperatorDirectory(Optional.of(file), OperatorsFile.load(file), stamp, ticker);
  }

  /** Serves {@code operators}, which never change. */
  public static OperatorDirectory fixed(Operators operators, Ticker ticker) {
    return new OperatorDirectory(Optional.empty(), operators, Optional.empty(), ticker);
  }

  /** The operator whose bearer token {@code token} is; slow the first time for each token. */
  public Optional<Operator> byToken(String token) {
    Version current = current();
    Optional<Operator> cached = current.verified().get(token);
    if (cached.isPresent()) {
      return cached;
    }
    Optional<Operator> operator = current.operators().byToken(token);
    operator.ifPresent(found -> current.verified().put(token, found));
    return operator;
  }

  /**
   * The operator whose token {@code token} was verified recently, without hashing it: cheap enough
   * to answer for an address that is being flooded with bad tokens.
   */
  public Optional<Operator> byVerifiedToken(String token) {
    return current().verified().get(token);
  }

  /** The operator known by the client certificate subject CN {@code cn}. */
  public Optional<Operator> byCertificate(String cn) {
    return current().operators().byCertificate(cn);
  }

  private Version current() {
    Version current = version;
    if (file.isEmpty()) {
      return current;
    }
    Stamp stamp = stampOrNull(file.get());
    if (Objects.equals(stamp, current.stamp().orElse(null))) {
      return current;
    }
    return reload(stamp);
  }

  private synchronized Version reload(Stamp stamp) {
    if (Objects.equals(stamp, version.stamp().orElse(null))) {
      return version;
    }
    try {
      version = version(OperatorsFile.load(file.get()), Optional.ofNullable(stamp));
      logger
          .atInfo()
          .addKeyValue("file", String.valueOf(file.get()))
          .log("operators file reloaded");
    } catch (ConfigException e) {
      // Remember the bad version's stamp so that it is reported once, not on every call.
      version = new Version(version.operators(), version.verified(), Optional.ofNullable(stamp));
      logger
          .atWarn()
          .addKeyValue("file", String.valueOf(file.get()))
          .addKeyValue("reason", String.valueOf(e))
          .log("operators file: keeping the previous version");
    }
    return version;
  }

  private Version version(Operators operators, Optional<Stamp> stamp) {
    return new Version(operators, new VerifiedTokens(ticker, CACHE_TTL, CACHE_ENTRIES), stamp);
  }

  private static Stamp stampOrNull(Path file) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    } catch (IOException e) {
      return null;
    }
  }
}
