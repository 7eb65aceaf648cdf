package dev.meridian.core.server;

import io.grpc.ServerBuilder;
import io.grpc.protobuf.services.ChannelzService;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;

/**
 * gRPC's own services for operators' tools, which a server offers when its {@code reflection} key
 * is on: server reflection ({@code grpcurl} and {@code grpcui} list and call the services without
 * the proto files) and channelz ({@code grpcdebug} shows the server's sockets and calls). Off by
 * default: they describe the server to anyone who can reach its port.
 */
public final class DebugServices {
  /** How many channelz entries one page of a listing holds. */
  private static final int CHANNELZ_PAGE = 100;

  private DebugServices() {}

  /**
   * Adds the services to {@code builder} when {@code enabled}; returns the builder. Reflection is
   * offered in both its versions: {@code v1}, and {@code v1alpha}, the only one grpcurl before
   * 1.8.8, grpcui and many IDE clients ask.
   */
  @SuppressWarnings("deprecation") // ProtoReflectionService serves v1alpha, which tools still use
  public static <T extends ServerBuilder<T>> T addTo(T builder, boolean enabled) {
    if (enabled) {
      builder
          .addService(ProtoReflectionServiceV1.newInstance())
          .addService(ProtoReflectionService.newInstance())
          .addService(ChannelzService.newInstance(CHANNELZ_PAGE));
    }
    return builder;
  }
}
