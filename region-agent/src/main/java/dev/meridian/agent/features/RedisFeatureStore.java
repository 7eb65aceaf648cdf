package dev.meridian.agent.features;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Redis server of a region's feature store, read over a single Lettuce connection that every
 * caller shares: the HMGETs of one read, and of concurrent reads, are pipelined on it.
 *
 * <p>Never waits for the server: {@link #connect} returns at once, and until a first connection
 * exists reads fail at once while it is retried in the background (one attempt at a time, 200 ms to
 * 1 s apart). Once connected, Lettuce reconnects on its own with the same delays, and while it is
 * disconnected it rejects commands instead of queueing them, so a dead server costs a read nothing;
 * commands in flight when the connection closes fail then too, rather than wait to be replayed on
 * the next connection. A server that accepts but does not answer costs a read its timeout.
 */
public final class RedisFeatureStore implements FeatureStore {
  /**
   * Between connection attempts: 200 ms for the first eight (about two seconds of outage), then 256
   * ms, 512 ms and from the eleventh on 1 s.
   */
  private static final Delay RETRY =
      Delay.exponential(Duration.ofMillis(200), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS);

  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  private final String name;
  private final String address;
  private final RedisURI uri;
  private final ClientResources resources;
  private final RedisClient client;
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile Throwable connectFailure;
  private volatile boolean closed;

  private RedisFeatureStore(
      String name, String host, int port, Optional<String> password, Duration connectTimeout) {
    this.name = name;
    this.address = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    RedisURI.Builder target = RedisURI.builder().withHost(host).withPort(port);
    password.ifPresent(secret -> target.withPassword(secret.toCharArray()));
    this.uri = target.build();
    this.resources =
        DefaultClientResources.builder() // two threads each, Lettuce's minimum
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(RETRY)
            .build();
    this.client = RedisClient.create(resources);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
            .build());
  }

  /**
   * A store reading the Redis server at {@code host:port}. Returns without waiting for the server:
   * reads fail with {@link FeatureStoreException} until the first connection, attempted now and
   * retried in the background, succeeds.
   *
   * @param name what the lookup chain calls this copy, such as {@code primary}
   * @param password the server's password ({@code AUTH}), if it has one
   * @param connectTimeout how long one connection attempt may take
   */
  public static RedisFeatureStore connect(
      String name, String host, int port, Optional<String> password, Duration connectTimeout) {
    RedisFeatureStore store = new RedisFeatureStore(name, host, port, password, connectTimeout);
    store.attemptFirstConnection(1);
    return store;
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Sends one HMGET per key on the shared connection and waits for all of them; on a timeout it
   * cancels those outstanding.
   *
   * @throws IllegalArgumentException when {@code fields} is empty
   */
  @Override
  public List<Map<String, String>> read(List<String> keys, List<String> fields, Duration timeout)
      throws FeatureStoreException {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("no fields to read");
    }
    if (closed) {
      throw new FeatureStoreException(this + " is closed", null);
    }
    StatefulRedisConnection<String, String> current = connection;
    if (current == null) {
      Throwable failure = connectFailure;
      throw new FeatureStoreException(
          this + " is not connected" + (failure == null ? " yet" : ": " + failure.getMessage()),
          failure);
    }
    List<CompletableFuture<List<KeyValue<String, String>>>> replies = send(current, keys, fields);
    try {
      CompletableFuture.allOf(replies.toArray(CompletableFuture<?>[]::new))
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      cancel(replies);
      throw new FeatureStoreException(
          name + " did not answer within " + timeout.toMillis() + "ms", e);
    } catch (ExecutionException e) {
      cancel(replies);
      throw failed(e.getCause());
    } catch (InterruptedException e) {
      cancel(replies);
      Thread.currentThread().interrupt();
      throw new FeatureStoreException(this + ": interrupted while reading", e);
    }
    List<Map<String, String>> hashes = new ArrayList<>(replies.size());
    for (CompletableFuture<List<KeyValue<String, String>>> reply : replies) {
      hashes.add(present(reply.join()));
    }
    return Collections.unmodifiableList(hashes);
  }

  /** Shuts the connection and the client's threads down, waiting at most two seconds. */
  @Override
  public void close() {
    closed = true;
    client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
    resources
        .shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
  }

  /** The store's name and the server's address, such as {@code primary (10.0.0.5:6379)}. */
  @Override
  public String toString() {
    return name + " (" + address + ")";
  }

  private static List<CompletableFuture<List<KeyValue<String, String>>>> send(
      StatefulRedisConnection<String, String> connection, List<String> keys, List<String> fields) {
    RedisAsyncCommands<String, String> commands = connection.async();
    String[] names = fields.toArray(String[]::new);
    List<CompletableFuture<List<KeyValue<String, String>>>> replies = new ArrayList<>(keys.size());
    for (String key : keys) {
      RedisFuture<List<KeyValue<String, String>>> reply = commands.hmget(key, names);
      replies.add(reply.toCompletableFuture());
    }
    return replies;
  }

  private FeatureStoreException failed(Throwable failure) {
    String how =
        failure instanceof RedisCommandExecutionException ? " refused the read: " : " failed: ";
    return new FeatureStoreException(this + how + failure.getMessage(), failure);
  }

  private static void cancel(List<? extends CompletableFuture<?>> replies) {
    replies.forEach(reply -> reply.cancel(false));
  }

  private static Map<String, String> present(List<KeyValue<String, String>> values) {
    Map<String, String> hash = new LinkedHashMap<>();
    for (KeyValue<String, String> value : values) {
      if (value.hasValue()) {
        hash.put(value.getKey(), value.getValue());
      }
    }
    return Collections.unmodifiableMap(hash);
  }

  /**
   * Attempts the first connection; a failed attempt schedules the next, so at most one is in
   * flight. After the first success Lettuce's own reconnection takes over.
   */
  private void attemptFirstConnection(int attempt) {
    if (closed) {
      return;
    }
    try {
      client
          .connectAsync(StringCodec.UTF8, uri)
          .whenComplete(
              (connected, failure) -> {
                if (failure != null) {
                  connectFailure = failure;
                  retryFirstConnection(attempt + 1);
                } else if (closed) {
                  connected.closeAsync();
                } else {
                  connection = connected;
                }
              });
    } catch (RedisException | RejectedExecutionException e) {
      // Only when close() shut the client down while this attempt started.
      connectFailure = e;
    }
  }

  private void retryFirstConnection(int attempt) {
    if (closed) {
      return;
    }
    try {
      resources
          .eventExecutorGroup()
          .schedule(
              () -> attemptFirstConnection(attempt),
              RETRY.createDelay(attempt).toNanos(),
              TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // close() shut the executor down meanwhile: no more attempts are wanted.
      connectFailure = e;
    }
  }
}
