package dev.meridian.agent.features;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import dev.meridian.core.config.ListenAddress;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;

/**
 * Real {@code redis-server} processes on free loopback ports, each in its own directory under one
 * test directory, without persistence. Where {@code redis-server} is missing a test using this
 * aborts, except where the {@code CI} environment variable requires it (the network lab's rule),
 * where it fails. {@link #close()} kills every process it started.
 */
final class RedisServers implements AutoCloseable {
  private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
  private static final String HOST = ListenAddress.DEFAULT_HOST;
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private final Path dir;
  private final RedisClient client = RedisClient.create();
  private final List<Server> servers = new ArrayList<>();

  private RedisServers(Path dir) {
    this.dir = dir;
  }

  /**
   * Servers under {@code dir}; aborts the test (or, under CI, fails it) when {@code redis-server}
   * is not installed.
   */
  static RedisServers in(Path dir) {
    if (!Files.isExecutable(REDIS_SERVER)) {
      String reason = REDIS_SERVER + " is missing (apt-get install redis-server)";
      if (requiredHere()) {
        fail("Redis must run in CI (CI=" + System.getenv("CI") + ") but " + reason);
      }
      Assumptions.abort(reason);
    }
    return new RedisServers(dir);
  }

  /** A primary, started and answering PING. */
  Server primary() {
    Server server = unstarted();
    server.start();
    return server;
  }

  /** A replica of {@code primary}, started, with its link to the primary up. */
  Server replicaOf(Server primary) {
    Server replica = new Server(freePort(), primary);
    servers.add(replica);
    primary.replicas.add(replica);
    replica.start();
    return replica;
  }

  /** A primary with a free port of its own but no process until {@link Server#start()}. */
  Server unstarted() {
    Server server = new Server(freePort(), null);
    servers.add(server);
    return server;
  }

  /** Kills every server started, then closes the client; throws the first failure, if any. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (Server server : servers) {
      try {
        server.kill();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    if (failure != null) {
      throw failure;
    }
  }

  /** One {@code redis-server} on a fixed port, which it keeps across restarts. */
  final class Server {
    private final int port;
    private final Server primary;
    private final List<Server> replicas = new ArrayList<>();
    private Process process;

    private Server(int port, Server primary) {
      this.port = port;
      this.primary = primary;
    }

    /** The address the server binds. */
    String host() {
      return HOST;
    }

    /** The server's port. */
    int port() {
      return port;
    }

    /**
     * Starts the server on its port and waits until it answers PING and, for a replica, until its
     * link to the primary is up. Also restarts a killed server, empty.
     */
    void start() {
      if (process != null && process.isAlive()) {
        throw new IllegalStateException("redis-server on port " + port + " is running");
      }
      Path home = dir.resolve("redis-" + port);
      List<String> command =
          new ArrayList<>(
              List.of(
                  REDIS_SERVER.toString(),
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  HOST,
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--repl-diskless-sync-delay",
                  "0",
                  "--dir",
                  home.toString(),
                  "--logfile",
                  home.resolve("redis.log").toString()));
      if (primary != null) {
        command.addAll(List.of("--replicaof", HOST, Integer.toString(primary.port)));
      }
      try {
        Files.createDirectories(home);
        process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("stdout.log").toFile())
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Process started = process;
      await("redis-server on port " + port + " answers PING")
          .atMost(BOUND)
          .failFast("redis-server exited: see " + home, () -> !started.isAlive())
          .ignoreExceptions()
          .until(() -> "PONG".equals(call(RedisCommands::ping)));
      if (primary != null) {
        await("replica on port " + port + " has its link to the primary up")
            .atMost(BOUND)
            .ignoreExceptions()
            .until(() -> call(c -> c.info("replication")).contains("master_link_status:up"));
      }
    }

    /** Kills the server with SIGKILL, if running, and waits until it has exited. */
    void kill() {
      if (process == null) {
        return;
      }
      process.destroyForcibly();
      try {
        if (!process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("redis-server on port " + port + " survived SIGKILL");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** Stops the server with SIGSTOP: it keeps its connections but answers nothing. */
    void pause() {
      signal("-STOP");
      await("redis-server on port " + port + " is stopped")
          .atMost(BOUND)
          .until(() -> state() == 'T');
    }

    /** Resumes a {@linkplain #pause() paused} server with SIGCONT. */
    void resume() {
      signal("-CONT");
      await("redis-server on port " + port + " runs again")
          .atMost(BOUND)
          .until(() -> state() != 'T');
    }

    /**
     * Writes {@code hash} at {@code key} through this server (a primary) and waits until each of
     * its running replicas holds it.
     */
    void write(String key, Map<String, String> hash) {
      call(c -> c.hset(key, hash));
      for (Server replica : replicas) {
        if (replica.process != null && replica.process.isAlive()) {
          await("replica on port " + replica.port + " has " + key)
              .atMost(BOUND)
              .ignoreExceptions()
              .until(() -> replica.call(c -> c.hgetall(key)).equals(hash));
        }
      }
    }

    /** Sets {@code key} to the string {@code value} through this server: not a hash. */
    void set(String key, String value) {
      call(c -> c.set(key, value));
    }

    private <T> T call(Function<RedisCommands<String, String>, T> command) {
      RedisURI uri =
          RedisURI.builder().withHost(HOST).withPort(port).withTimeout(COMMAND_TIMEOUT).build();
      try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
        return command.apply(connection.sync());
      }
    }

    private void signal(String signal) {
      try {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
        if (!kill.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS) || kill.exitValue() != 0) {
          throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** The process state letter of {@code /proc/<pid>/stat}: {@code T} when stopped. */
    private char state() throws IOException {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rule of {@code NetworkLab.requiredHere()} in deploy, which this module cannot use. */
  private static boolean requiredHere() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }
}
