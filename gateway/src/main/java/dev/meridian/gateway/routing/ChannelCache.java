package dev.meridian.gateway.routing;

import dev.meridian.core.Ticker;
import dev.meridian.core.server.EventLoops;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gRPC channel per replica address, connected as soon as the replica is known rather than on
 * the first call, and watched: a channel that falls into TRANSIENT_FAILURE (the connection was
 * refused or cannot be made) is reported at once, so the replica is ejected before a call finds
 * out; a channel that lost its connection reconnects at once rather than on the next call.
 *
 * <p>A replica that leaves the registry (its health check went critical) keeps its channel for
 * {@link #RETAIN_ABSENT}: a replica whose model failed is usually still running, and when it passes
 * again its connection is up and warm instead of a TLS handshake away on the first calls of the
 * recovery. Past that its channel is shut down gracefully, so calls in flight on it finish.
 * Thread-safe.
 */
public final class ChannelCache implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(ChannelCache.class);

  /** Hears what the channels' connections do. Implementations must be fast and thread-safe. */
  public interface ConnectivityListener {
    /** The channel to {@code replica} is connected. */
    void ready(ReplicaEndpoint replica);

    /** The channel to {@code replica} could not connect: nothing sent there now can arrive. */
    void failed(ReplicaEndpoint replica);
  }

  /** How long a channel outlives its replica's absence from the registry. */
  public static final Duration RETAIN_ABSENT = Duration.ofMinutes(2);

  private final TransportSecurity security;
  private final EventLoops eventLoops;
  private final int maxInboundMessageBytes;
  private final ConnectivityListener listener;
  private final Ticker ticker;
  private final Map<String, Entry> channels = new ConcurrentHashMap<>();
  private final Map<String, Long> absentSince = new ConcurrentHashMap<>();

  /**
   * Creates a cache whose channels are secured by {@code security}, accept responses up to {@code
   * maxInboundMessageBytes} and report their connectivity to {@code listener}; {@code ticker} times
   * absences.
   */
  public ChannelCache(
      TransportSecurity security,
      EventLoops eventLoops,
      int maxInboundMessageBytes,
      ConnectivityListener listener,
      Ticker ticker) {
    this.security = security;
    this.eventLoops = eventLoops;
    this.maxInboundMessageBytes = maxInboundMessageBytes;
    this.listener = listener;
    this.ticker = ticker;
  }

  /** The channel to {@code replica}, created and connecting if it is new. */
  public ManagedChannel channel(ReplicaEndpoint replica) {
    Entry entry = channels.get(replica.address());
    if (entry != null && entry.replica.equals(replica)) {
      return entry.channel;
    }
    AtomicBoolean created = new AtomicBoolean();
    Entry current =
        channels.compute(
            replica.address(),
            (address, existing) -> {
              if (existing != null) {
                return existing.with(replica);
              }
              created.set(true);
              return new Entry(replica, build(replica));
            });
    if (created.get()) {
      watch(current.channel, replica.address(), ConnectivityState.IDLE);
    }
    return current.channel;
  }

  /** The channel to {@code replica} if it has one; never creates one. */
  public Optional<ManagedChannel> existing(ReplicaEndpoint replica) {
    return Optional.ofNullable(channels.get(replica.address())).map(Entry::channel);
  }

  /** The connectivity of the channel to {@code replica}; IDLE if it has none yet. */
  public ConnectivityState state(ReplicaEndpoint replica) {
    Entry entry = channels.get(replica.address());
    return entry == null ? ConnectivityState.IDLE : entry.channel.getState(false);
  }

  private ManagedChannel build(ReplicaEndpoint replica) {
    return eventLoops
        .connect(security.channel(replica.host(), replica.port(), TlsPeer.REPLICA))
        // Responses complete non-blocking futures; no need to hop to an executor.
        .directExecutor()
        .maxInboundMessageSize(maxInboundMessageBytes)
        // The gateway retries (budgeted, elsewhere, re-sending at no cost what never reached a
        // server); gRPC's own retries would be a second layer, with a copy of every request kept
        // for them.
        .disableRetry()
        // gRPC's floor for keepalive pings is 10 s; frozen replicas are found sooner by the
        // liveness checks, and this closes a connection whose peer vanished without a word.
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(2, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .build();
  }

  private void watch(ManagedChannel channel, String address, ConnectivityState previous) {
    ConnectivityState now = channel.getState(false);
    if (now == ConnectivityState.SHUTDOWN) {
      return;
    }
    if (now == ConnectivityState.IDLE) {
      channel.getState(true); // new, or its connection was lost: connect now, not on a call
    }
    if (now != previous) {
      Entry entry = channels.get(address);
      if (entry != null && entry.channel == channel) {
        report(entry.replica, now);
      }
    }
    channel.notifyWhenStateChanged(now, () -> watch(channel, address, now));
  }

  private void report(ReplicaEndpoint replica, ConnectivityState state) {
    switch (state) {
      case READY -> listener.ready(replica);
      case TRANSIENT_FAILURE -> {
        logger
            .atInfo()
            .addKeyValue("event", "channel_failed")
            .addKeyValue("replica", replica.id())
            .addKeyValue("address", replica.address())
            .log("channel failed");
        listener.failed(replica);
      }
      default -> {}
    }
  }

  /**
   * Takes {@code present} as the addresses the registry has now: the channels to the others are
   * shut down, gracefully, once they have been absent for {@link #RETAIN_ABSENT}.
   *
   * @return the addresses still in use: {@code present}, and the absent ones whose channels are
   *     kept
   */
  public Set<String> retain(Set<String> present) {
    long now = ticker.nanoTime();
    absentSince.keySet().removeIf(present::contains);
    channels
        .entrySet()
        .removeIf(
            entry -> {
              String address = entry.getKey();
              if (present.contains(address)) {
                return false;
              }
              long since = absentSince.computeIfAbsent(address, gone -> now);
              if (now - since < RETAIN_ABSENT.toNanos()) {
                return false;
              }
              absentSince.remove(address);
              entry.getValue().channel.shutdown();
              return true;
            });
    Set<String> inUse = new HashSet<>(present);
    inUse.addAll(channels.keySet());
    return inUse;
  }

  /** Shuts down every channel, waiting briefly for calls in flight. */
  @Override
  public void close() {
    channels.values().forEach(entry -> entry.channel.shutdown());
    for (Entry entry : channels.values()) {
      try {
        if (!entry.channel.awaitTermination(5, TimeUnit.SECONDS)) {
          entry.channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        entry.channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    channels.clear();
  }

  /** A channel and the replica last known at its address. */
  private record Entry(ReplicaEndpoint replica, ManagedChannel channel) {
    Entry with(ReplicaEndpoint newer) {
      return new Entry(newer, channel);
    }
  }
}
