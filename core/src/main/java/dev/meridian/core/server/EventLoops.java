package dev.meridian.core.server;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One process's transport threads, shared by its servers and its channels: one event loop per
 * available processor (gRPC's default is two per processor, each side its own), on Linux's native
 * epoll when it loads. A call that arrives on a connection and goes out on a channel whose
 * connection shares its event loop is written without waking another thread; on one processor every
 * call is. Handlers on these threads must never block. Thread-safe.
 */
public final class EventLoops implements AutoCloseable {
  private final EventLoopGroup group;
  private final boolean epoll;

  private EventLoops(int threads) {
    this.epoll = Epoll.isAvailable();
    this.group =
        new MultiThreadIoEventLoopGroup(
            threads,
            new DefaultThreadFactory("meridian-event-loop", true),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  /** Event loops for this process: one per processor it may run on. */
  public static EventLoops perProcessor() {
    return new EventLoops(Runtime.getRuntime().availableProcessors());
  }

  /** {@code builder}, accepting and serving its connections on these event loops. */
  public NettyServerBuilder serve(NettyServerBuilder builder) {
    Class<? extends ServerChannel> type =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    return builder.bossEventLoopGroup(group).workerEventLoopGroup(group).channelType(type);
  }

  /** {@code builder}, its connections on these event loops. */
  public NettyChannelBuilder connect(NettyChannelBuilder builder) {
    return builder
        .eventLoopGroup(group)
        .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class);
  }

  /**
   * The event loop running the calling thread, if it is one of these: work it schedules runs on the
   * same thread, without waking another to arm or cancel the timer.
   */
  public Optional<ScheduledExecutorService> current() {
    for (EventExecutor loop : group) {
      if (loop.inEventLoop()) {
        return Optional.of(loop);
      }
    }
    return Optional.empty();
  }

  /** Stops the event loops once the servers and channels on them have closed. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
  }
}
