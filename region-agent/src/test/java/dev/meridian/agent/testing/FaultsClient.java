package dev.meridian.agent.testing;

import dev.meridian.proto.agent.v1.FaultInjectionGrpc;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/** FaultInjection stubs that send an admin token as {@code authorization: Bearer <token>}. */
public final class FaultsClient {
  /** The token {@link TestAgentConfig#faults()} writes. */
  public static final String TOKEN = "test-admin-token";

  private FaultsClient() {}

  /** A stub on {@code channel} sending {@code token}. */
  public static FaultInjectionGrpc.FaultInjectionBlockingStub withToken(
      Channel channel, String token) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return FaultInjectionGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }
}
