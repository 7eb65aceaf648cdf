package dev.meridian.gateway;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replicas of one region as the gateway reaches them: one channel per replica, picked in
 * round-robin order. Thread-safe.
 */
public final class RegionUpstream implements AutoCloseable {
  private final String region;
  private final List<Replica> replicas;
  private final AtomicInteger next = new AtomicInteger();

  /**
   * A channel to one replica.
   *
   * @param address the replica's address, used to name it in errors
   * @param channel the channel the gateway calls it on
   */
  public record Replica(String address, ManagedChannel channel) {}

  /** Creates an upstream over existing channels, which it closes on {@link #close()}. */
  public RegionUpstream(String region, List<Replica> replicas) {
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("region " + region + ": no replica addresses");
    }
    this.region = region;
    this.replicas = List.copyOf(replicas);
  }

  /** Creates an upstream with a plaintext channel to each of {@code addresses}. */
  public static RegionUpstream connect(String region, List<InetSocketAddress> addresses) {
    return new RegionUpstream(
        region,
        addresses.stream()
            .map(
                address ->
                    new Replica(
                        address.getHostString() + ":" + address.getPort(),
                        NettyChannelBuilder.forAddress(address.getHostString(), address.getPort())
                            .usePlaintext()
                            .build()))
            .toList());
  }

  /** The region's name. */
  public String region() {
    return region;
  }

  /** The replica to call next. */
  public Replica pick() {
    return replicas.get(Math.floorMod(next.getAndIncrement(), replicas.size()));
  }

  /** Closes every channel. */
  @Override
  public void close() {
    for (Replica replica : replicas) {
      replica.channel().shutdown();
    }
    for (Replica replica : replicas) {
      try {
        if (!replica.channel().awaitTermination(5, TimeUnit.SECONDS)) {
          replica.channel().shutdownNow();
        }
      } catch (InterruptedException e) {
        replica.channel().shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
