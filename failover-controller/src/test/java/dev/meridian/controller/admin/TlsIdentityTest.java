package dev.meridian.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.testing.FakeTicker;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.ListRegionsRequest;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate identities through a real TLS handshake: an admin listener on Netty that asks for
 * (but does not require) a client certificate, as a TLS admin listener would.
 */
class TlsIdentityTest {
  @TempDir Path directory;
  private final StubControl control = new StubControl();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private AuditLog audit;
  private Server server;

  @BeforeEach
  void start() throws IOException {
    audit = AuditLog.open(directory.resolve("audit.jsonl"), 1 << 20, 1, InstantSource.system());
    AuthMetrics metrics = new AuthMetrics(new MetricRegistry());
    FakeTicker ticker = new FakeTicker();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(
                GrpcSslContexts.configure(
                        SslContextBuilder.forServer(
                                TestKeys.SERVER.key(), TestKeys.SERVER.certificate())
                            .trustManager(TestKeys.CLIENT.certificate())
                            .clientAuth(ClientAuth.OPTIONAL))
                    .build())
            .addService(
                SecuredAdminService.of(
                    new RegionAdminService(control, control),
                    new AuthInterceptor(
                        OperatorDirectory.watching(
                            TestOperators.write(directory.resolve("operators.yaml")), ticker),
                        3,
                        Duration.ofSeconds(10),
                        ticker,
                        audit,
                        metrics),
                    audit,
                    metrics))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws IOException {
    channels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow();
    audit.close();
  }

  private RegionAdminGrpc.RegionAdminBlockingStub stub(boolean certificate, String token)
      throws IOException {
    SslContextBuilder tls = GrpcSslContexts.forClient().trustManager(TestKeys.SERVER.certificate());
    if (certificate) {
      tls.keyManager(TestKeys.CLIENT.key(), TestKeys.CLIENT.certificate());
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .overrideAuthority("localhost")
            .sslContext(tls.build())
            .build();
    channels.add(channel);
    RegionAdminGrpc.RegionAdminBlockingStub stub = RegionAdminGrpc.newBlockingStub(channel);
    if (token == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static DrainRegionRequest drain() {
    return DrainRegionRequest.newBuilder().setRegion("eu-west").setReason("r").build();
  }

  @Test
  void aClientCertificateIdentifiesItsOperator() throws IOException {
    stub(true, null).listRegions(ListRegionsRequest.getDefaultInstance());

    assertThatThrownBy(() -> stub(true, null).drainRegion(drain()))
        .hasMessageStartingWith("PERMISSION_DENIED: DrainRegion needs role operator;")
        .hasMessageContaining("operator:ci-bot@/127.0.0.1:")
        .hasMessageEndingWith("has role viewer");
  }

  @Test
  void aTokenWinsOverTheCertificate() throws IOException {
    stub(true, TestOperators.OPERATOR_TOKEN).drainRegion(drain());

    assertThat(control.handled).singleElement().asString().startsWith("drain by operator:otto@");
  }

  @Test
  void withoutCertificateOrTokenTheCallIsUnauthenticated() throws IOException {
    RegionAdminGrpc.RegionAdminBlockingStub anonymous = stub(false, null);

    assertThatThrownBy(() -> anonymous.listRegions(ListRegionsRequest.getDefaultInstance()))
        .hasMessageStartingWith("UNAUTHENTICATED: missing credentials");
  }
}
