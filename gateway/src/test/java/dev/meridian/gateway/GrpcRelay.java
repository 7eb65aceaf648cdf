package dev.meridian.gateway;

import dev.meridian.core.server.EventLoops;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * The floor under the gateway's cost in {@code scripts/bench-overhead.sh}: grpc-java alone,
 * relaying every unary call as opaque bytes to one upstream, on the same event loops and transport
 * as the gateway (one process's {@link EventLoops}, plaintext, direct executors), with no parsing
 * and no policy. What the gateway costs above this relay is its own work; what the relay costs is
 * gRPC's.
 */
public final class GrpcRelay implements AutoCloseable {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private final EventLoops loops = EventLoops.perProcessor();
  private final ManagedChannel upstream;
  private final Server server;

  /** Starts relaying calls that arrive on {@code listen} to {@code upstream}. */
  public GrpcRelay(InetSocketAddress listen, InetSocketAddress upstream) throws IOException {
    this.upstream =
        loops
            .connect(NettyChannelBuilder.forAddress(upstream))
            .usePlaintext()
            .directExecutor()
            .build();
    this.server =
        loops
            .serve(NettyServerBuilder.forAddress(listen))
            .directExecutor()
            .fallbackHandlerRegistry(new AnyMethod())
            .build()
            .start();
  }

  /** The port it listens on. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    upstream.shutdownNow();
    loops.close();
  }

  /**
   * Runs a relay until the process is stopped: {@code <listen host> <listen port> <upstream host>
   * <upstream port>}.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: GrpcRelay <listen host> <listen port> <upstream host> <port>");
      System.exit(2);
    }
    GrpcRelay relay =
        new GrpcRelay(
            new InetSocketAddress(args[0], Integer.parseInt(args[1])),
            new InetSocketAddress(args[2], Integer.parseInt(args[3])));
    Runtime.getRuntime().addShutdownHook(new Thread(relay::close));
    relay.server.awaitTermination();
  }

  /** Every method name, as a unary call of bytes relayed upstream. */
  private final class AnyMethod extends HandlerRegistry {
    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String name, String authority) {
      MethodDescriptor<byte[], byte[]> method =
          MethodDescriptor.<byte[], byte[]>newBuilder()
              .setType(MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(name)
              .setRequestMarshaller(BYTES)
              .setResponseMarshaller(BYTES)
              .build();
      ServerCallHandler<byte[], byte[]> relay = (call, headers) -> relayed(method, call);
      return ServerMethodDefinition.create(method, relay);
    }
  }

  private ServerCall.Listener<byte[]> relayed(
      MethodDescriptor<byte[], byte[]> method, ServerCall<byte[], byte[]> call) {
    ClientCall<byte[], byte[]> out = upstream.newCall(method, CallOptions.DEFAULT);
    out.start(
        new ClientCall.Listener<>() {
          @Override
          public void onHeaders(Metadata headers) {
            call.sendHeaders(new Metadata());
          }

          @Override
          public void onMessage(byte[] message) {
            call.sendMessage(message);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            call.close(status, trailers);
          }
        },
        new Metadata());
    out.request(1);
    call.request(1);
    return new ServerCall.Listener<>() {
      @Override
      public void onMessage(byte[] message) {
        out.sendMessage(message);
      }

      @Override
      public void onHalfClose() {
        out.halfClose();
      }

      @Override
      public void onCancel() {
        out.cancel("the caller cancelled", null);
      }
    };
  }
}
