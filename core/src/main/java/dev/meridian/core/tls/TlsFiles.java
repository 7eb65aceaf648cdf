package dev.meridian.core.tls;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a process finds its TLS identity and the authority it trusts, PEM files all, and how often
 * it looks for rotated ones.
 *
 * @param certificate this process's certificate chain ({@code tls.cert})
 * @param key its private key, unencrypted PKCS#8 ({@code tls.key})
 * @param authority the certificates of the authorities whose peers it trusts ({@code tls.ca})
 * @param refresh how often the files are checked for a change ({@code tls.refresh})
 */
public record TlsFiles(Path certificate, Path key, Path authority, Duration refresh) {
  /** The name of the authority's file in a directory laid out as {@link #in} reads it. */
  public static final String AUTHORITY_FILE = "ca.crt";

  /** Checks the refresh period against its setting. */
  public TlsFiles {
    TlsSettings.REFRESH.check(refresh);
  }

  /** The files of {@code directory}'s {@code <name>.crt}, {@code <name>.key} and {@code ca.crt}. */
  public static TlsFiles in(Path directory, String name, Duration refresh) {
    return new TlsFiles(
        directory.resolve(name + ".crt"),
        directory.resolve(name + ".key"),
        directory.resolve(AUTHORITY_FILE),
        refresh);
  }
}
