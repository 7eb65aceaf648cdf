package dev.meridian.core.testing;

import io.grpc.Channel;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServiceResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What grpcurl's {@code list} asks a server: the services it names through reflection. */
public final class ReflectedServices {
  private ReflectedServices() {}

  /**
   * The services the server behind {@code channel} lists; fails with the call's status (such as
   * UNIMPLEMENTED when it has no reflection).
   */
  public static CompletableFuture<List<String>> of(Channel channel) {
    return ReflectionExchange.ask(
            channel, ServerReflectionRequest.newBuilder().setListServices("").build())
        .thenApply(
            response ->
                response.getListServicesResponse().getServiceList().stream()
                    .map(ServiceResponse::getName)
                    .toList());
  }
}
