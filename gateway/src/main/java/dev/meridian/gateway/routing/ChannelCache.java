package dev.meridian.gateway.routing;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per replica address, created on first use. When a replica leaves the healthy set
 * its channel is shut down gracefully, so calls already in flight on it finish. Thread-safe.
 */
public final class ChannelCache implements AutoCloseable {
  private final int maxInboundMessageBytes;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  /** Creates a cache whose channels accept responses up to {@code maxInboundMessageBytes}. */
  public ChannelCache(int maxInboundMessageBytes) {
    this.maxInboundMessageBytes = maxInboundMessageBytes;
  }

  /** The channel to {@code replica}. */
  public ManagedChannel channel(ReplicaEndpoint replica) {
    return channels.computeIfAbsent(
        replica.address(),
        address ->
            NettyChannelBuilder.forAddress(replica.host(), replica.port())
                .usePlaintext()
                // Responses complete non-blocking futures; no need to hop to an executor.
                .directExecutor()
                .maxInboundMessageSize(maxInboundMessageBytes)
                // Finds a dead connection to a frozen replica without waiting for TCP; replicas
                // permit pings every 10 s.
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .build());
  }

  /** Shuts down, gracefully, the channels to every address not in {@code addresses}. */
  public void retainOnly(Set<String> addresses) {
    channels
        .entrySet()
        .removeIf(
            entry -> {
              if (addresses.contains(entry.getKey())) {
                return false;
              }
              entry.getValue().shutdown();
              return true;
            });
  }

  /** Shuts down every channel, waiting briefly for calls in flight. */
  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : channels.values()) {
      try {
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    channels.clear();
  }
}
