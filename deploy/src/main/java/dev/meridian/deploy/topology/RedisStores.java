package dev.meridian.deploy.topology;

import dev.meridian.agent.features.FeatureSeed;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The feature stores of a local topology when {@code redis-server} is installed: per region a
 * primary and a replica of it (Redis replication), on the region's host, with append-only
 * persistence in the topology's state directory so that a killed primary comes back with its data
 * rather than wiping its replica. Without {@code redis-server} the replicas use the embedded store.
 */
public final class RedisStores implements AutoCloseable {
  /** The store read first. */
  public static final String PRIMARY = "primary";

  /** The store replicating the primary. */
  public static final String REPLICA = "replica";

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  /** The topology's own client, seeding the stores and telling when they are ready. */
  private final RedisClient client = RedisClient.create();

  private final String password;

  /** The stores of a topology whose clients authenticate with {@code password}. */
  RedisStores(String password) {
    this.password = password;
  }

  /** The installed {@code redis-server}, if any (the Debian package puts it in /usr/bin). */
  public static Optional<Path> server() {
    List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/redis-server")));
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        candidates.add(Path.of(dir, "redis-server"));
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /**
   * The role name of {@code region}'s {@code tier} store, such as {@code redis-eu-west-primary}.
   */
  public static String role(String region, String tier) {
    return "redis-" + region + "-" + tier;
  }

  /**
   * The command line of a store listening on {@code host:port} with its data in {@code dir},
   * requiring {@code password} of its clients (and giving it to its primary), replicating {@code
   * primary} ({@code host port}) if given. Redis replaces its process title, so the password does
   * not show in the process list.
   */
  static List<String> command(
      Path server, String host, int port, Path dir, String password, Optional<String> primary) {
    List<String> command =
        new ArrayList<>(
            List.of(
                server.toString(),
                "--bind",
                host,
                "--port",
                String.valueOf(port),
                "--dir",
                dir.toString(),
                "--appendonly",
                "yes",
                "--save",
                "",
                // A replica syncs at once rather than after the default 5 s delay.
                "--repl-diskless-sync-delay",
                "0",
                "--requirepass",
                password,
                "--masterauth",
                password));
    primary.ifPresent(
        address -> {
          command.add("--replicaof");
          command.addAll(List.of(address.split(" ")));
        });
    return command;
  }

  /** Whether the store at {@code host:port} answers and, for a replica, has its primary's data. */
  boolean ready(String host, int port, boolean replica) {
    try (StatefulRedisConnection<String, String> connection = connect(host, port)) {
      String info = connection.sync().info("replication");
      return !replica || info.contains("master_link_status:up");
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  /** Writes {@code hashes} to the store at {@code host:port}. */
  void seed(String host, int port, List<FeatureSeed.Hash> hashes) {
    try (StatefulRedisConnection<String, String> connection = connect(host, port)) {
      for (FeatureSeed.Hash hash : hashes) {
        connection.sync().hset(hash.key(), hash.fields());
      }
    }
  }

  /** Whether the store at {@code host:port} holds the hash at {@code key}. */
  boolean holds(String host, int port, String key) {
    try (StatefulRedisConnection<String, String> connection = connect(host, port)) {
      return connection.sync().exists(key) == 1;
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  private StatefulRedisConnection<String, String> connect(String host, int port) {
    return client.connect(
        RedisURI.builder()
            .withHost(host)
            .withPort(port)
            .withPassword(password.toCharArray())
            .withTimeout(COMMAND_TIMEOUT)
            .build());
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
