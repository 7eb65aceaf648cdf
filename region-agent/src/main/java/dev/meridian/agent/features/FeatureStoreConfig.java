package dev.meridian.agent.features;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a region's replicas look features up: Redis, a primary and optionally its replica, each
 * {@code host:port}; or, with no Redis, an in-process store seeded from a file. Held as plain
 * strings ("" for none) so that it travels to a replica process inside its JSON spec.
 *
 * @param primary the primary Redis as {@code host:port}, or "" with {@code embeddedSeed}
 * @param replica the replica Redis as {@code host:port}, or "" for none
 * @param embeddedSeed the seed file of the in-process store, or "" with {@code primary}
 * @param lookupTimeout the longest one store read may take (and at most half of what is left of the
 *     call's deadline)
 * @param cacheEntities how many entities' recent values each replica process keeps
 * @param passwordFile the file holding the Redis password ({@code AUTH}), or "" for none
 */
public record FeatureStoreConfig(
    String primary,
    String replica,
    String embeddedSeed,
    Duration lookupTimeout,
    int cacheEntities,
    String passwordFile) {
  /** Checks that exactly one kind of store is configured, and the replica only beside a primary. */
  public FeatureStoreConfig {
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(embeddedSeed, "embeddedSeed");
    Objects.requireNonNull(lookupTimeout, "lookupTimeout");
    Objects.requireNonNull(passwordFile, "passwordFile");
    if (primary.isEmpty() == embeddedSeed.isEmpty()) {
      throw new IllegalArgumentException("a feature store is `primary` (Redis) or `embedded`");
    }
    if (!replica.isEmpty() && primary.isEmpty()) {
      throw new IllegalArgumentException("a feature store `replica` needs a `primary`");
    }
  }

  /**
   * The Redis password, read from {@link #passwordFile()} (trimmed), if one is configured.
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no password
   */
  public Optional<String> password() {
    if (passwordFile.isEmpty()) {
      return Optional.empty();
    }
    try {
      String password = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).trim();
      if (password.isEmpty()) {
        throw new IllegalArgumentException(passwordFile + " holds no password");
      }
      return Optional.of(password);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the feature store's password: " + e, e);
    }
  }

  /** The seed file of the in-process store, when that is the store. */
  public Optional<String> embedded() {
    return embeddedSeed.isEmpty() ? Optional.empty() : Optional.of(embeddedSeed);
  }
}
