package dev.meridian.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials.ClientAuth;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportSecurityTest {
  private static final Duration VALIDITY = Duration.ofDays(1);
  private static final Duration REFRESH = Duration.ofMillis(100);

  @TempDir Path directory;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    Collections.reverse(resources);
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void aClientWithTheAuthoritysCertificateIsServedAndOthersAreRefused() throws IOException {
    CertificateAuthority authority = CertificateAuthority.create("test-ca", VALIDITY);
    TransportSecurity server = security(authority, "server", TlsPeer.REPLICA);
    TransportSecurity client = security(authority, "client", TlsPeer.GATEWAY);
    int port = start(server, ClientAuth.REQUIRE);

    assertThat(predict(client.channel("127.0.0.1", port, TlsPeer.REPLICA))).isNotNull();

    assertRefused(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext());
    CertificateAuthority stranger = CertificateAuthority.create("other-ca", VALIDITY);
    TransportSecurity untrusted = security(stranger, "stranger", TlsPeer.GATEWAY);
    assertRefused(untrusted.channel("127.0.0.1", port, TlsPeer.REPLICA));
  }

  @Test
  void aServerWithoutTheRoleNameTheClientExpectsIsRefused() throws IOException {
    CertificateAuthority authority = CertificateAuthority.create("test-ca", VALIDITY);
    // A certificate from the right authority, but for another role: a forged address of a
    // controller pointing at a replica (or anything else) must not collect credentials.
    TransportSecurity server = security(authority, "server", TlsPeer.REPLICA);
    TransportSecurity client = security(authority, "client", TlsPeer.GATEWAY);
    int port = start(server, ClientAuth.REQUIRE);

    assertRefused(client.channel("127.0.0.1", port, TlsPeer.CONTROLLER));
  }

  @Test
  void rotatedFilesTakeEffectWithoutARestartAndOpenConnectionsKeepWorking() throws IOException {
    CertificateAuthority first = CertificateAuthority.create("first-ca", VALIDITY);
    TransportSecurity server = security(first, "server", TlsPeer.REPLICA);
    TransportSecurity client = security(first, "client", TlsPeer.GATEWAY);
    int port = start(server, ClientAuth.REQUIRE);
    ManagedChannel open = track(client.channel("127.0.0.1", port, TlsPeer.REPLICA).build());
    InferenceGrpc.newBlockingStub(open).predict(PredictRequest.getDefaultInstance());

    // A new authority: the server's files are replaced while it runs.
    CertificateAuthority second = CertificateAuthority.create("second-ca", VALIDITY);
    write(second, "server", TlsPeer.REPLICA);
    TransportSecurity rotatedClient = security(second, "rotated-client", TlsPeer.GATEWAY);

    await("the server presents and trusts the new authority")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> predict(rotatedClient.channel("127.0.0.1", port, TlsPeer.REPLICA)) != null);
    assertThat(
            InferenceGrpc.newBlockingStub(open)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .predict(PredictRequest.getDefaultInstance()))
        .as("a connection opened before the rotation")
        .isNotNull();
  }

  @Test
  void unreadableFilesAreNamedWithTheirKeys() {
    TlsFiles missing = TlsFiles.in(directory.resolve("absent"), "server", REFRESH);

    assertThatThrownBy(() -> TransportSecurity.of(Optional.of(missing)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls.cert " + missing.certificate())
        .hasMessageContaining("tls.ca " + missing.authority());
  }

  private TransportSecurity security(CertificateAuthority authority, String name, TlsPeer role) {
    TlsFiles files = write(authority, name, role);
    return track(TransportSecurity.of(Optional.of(files)));
  }

  private TlsFiles write(CertificateAuthority authority, String name, TlsPeer role) {
    Path home = directory.resolve(name);
    TlsFiles files = TlsFiles.in(home, name, REFRESH);
    authority.writeCertificate(files.authority());
    authority
        .issue(name, List.of(role.serverName(), "127.0.0.1"), VALIDITY)
        .write(files.certificate(), files.key());
    return files;
  }

  private int start(TransportSecurity security, ClientAuth clientAuth) throws IOException {
    Server server =
        security
            .server(new InetSocketAddress("127.0.0.1", 0), clientAuth)
            .addService(new Echo())
            .build()
            .start();
    resources.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return server.getPort();
  }

  private PredictResponse predict(NettyChannelBuilder builder) {
    ManagedChannel channel = track(builder.build());
    return InferenceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .predict(PredictRequest.getDefaultInstance());
  }

  private void assertRefused(NettyChannelBuilder builder) {
    assertThatThrownBy(() -> predict(builder))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private ManagedChannel track(ManagedChannel channel) {
    resources.add(channel::shutdownNow);
    return channel;
  }

  private static final class Echo extends InferenceGrpc.InferenceImplBase {
    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
      observer.onNext(PredictResponse.getDefaultInstance());
      observer.onCompleted();
    }
  }
}
