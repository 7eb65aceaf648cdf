package dev.meridian.controller.admin;

import com.codahale.metrics.MetricRegistry;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.meridian.controller.consul.Leadership;
import dev.meridian.core.testing.FakeTicker;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import io.grpc.Attributes;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * The admin service as the controller serves it ({@link SecuredAdminService}), over in-process
 * gRPC, with {@link TestOperators} and a fake ticker. Each stub's calls come from a peer address of
 * the test's choosing, optionally over "TLS" with the test client certificate (a TLS session that
 * presents it, in the call attributes where a TLS transport puts it). Closes what it opened.
 */
final class AdminServerFixture implements AutoCloseable {
  static final int FAILURE_BURST = 3;
  static final Duration FAILURE_REFILL = Duration.ofSeconds(10);

  final FakeTicker ticker = new FakeTicker();
  final MetricRegistry metrics = new MetricRegistry();
  final Path auditFile;
  final Path operatorsFile;
  final AuditLog audit;
  private final String name = InProcessServerBuilder.generateName();
  private final Server server;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private static final Metadata.Key<String> PEER =
      Metadata.Key.of("x-test-peer", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> TLS =
      Metadata.Key.of("x-test-tls", Metadata.ASCII_STRING_MARSHALLER);

  AdminServerFixture(Path directory, RegionControl control, Leadership leadership)
      throws IOException {
    auditFile = directory.resolve("audit/admin.jsonl");
    operatorsFile = TestOperators.write(directory.resolve("operators.yaml"));
    audit =
        AuditLog.open(
            auditFile, 1 << 20, 3, InstantSource.fixed(Instant.parse("2026-01-02T03:04:05Z")));
    AuthMetrics authMetrics = new AuthMetrics(metrics);
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                ServerInterceptors.intercept(
                    SecuredAdminService.of(
                        new RegionAdminService(control, leadership),
                        new AuthInterceptor(
                            OperatorDirectory.watching(operatorsFile, ticker),
                            FAILURE_BURST,
                            FAILURE_REFILL,
                            ticker,
                            audit,
                            authMetrics),
                        audit,
                        authMetrics),
                    new PeerInterceptor()))
            .build()
            .start();
  }

  /** A stub from {@code host} sending {@code authorization} (none when null). */
  RegionAdminGrpc.RegionAdminBlockingStub stub(String host, String authorization) {
    return stub(host, authorization, false);
  }

  /** A stub with the bearer token {@code token} from 10.0.0.1. */
  RegionAdminGrpc.RegionAdminBlockingStub bearer(String token) {
    return stub("10.0.0.1", "Bearer " + token);
  }

  /** A stub from {@code host}, presenting the test client certificate when {@code tls}. */
  RegionAdminGrpc.RegionAdminBlockingStub stub(String host, String authorization, boolean tls) {
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    channels.add(channel);
    Metadata headers = new Metadata();
    headers.put(PEER, host);
    if (tls) {
      headers.put(TLS, "yes");
    }
    if (authorization != null) {
      headers.put(AuthInterceptor.AUTHORIZATION, authorization);
    }
    return RegionAdminGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** The audit log's lines, parsed. */
  List<JsonObject> auditLines() {
    try {
      return Files.readAllLines(auditFile).stream()
          .map(line -> JsonParser.parseString(line).getAsJsonObject())
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The refusals counted for {@code reason}. */
  long refusals(String reason) {
    return metrics.counter("controller.admin.refusals{reason=" + reason + "}").getCount();
  }

  /**
   * Gives each call the transport attributes a real connection from its {@code x-test-peer} (and,
   * with {@code x-test-tls}, over TLS with the test certificate) would have.
   */
  private static final class PeerInterceptor implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      Attributes.Builder attributes =
          call.getAttributes().toBuilder()
              .set(
                  Grpc.TRANSPORT_ATTR_REMOTE_ADDR,
                  new InetSocketAddress(headers.get(PEER), 50_000));
      if (headers.containsKey(TLS)) {
        attributes.set(Grpc.TRANSPORT_ATTR_SSL_SESSION, sessionWith(TestKeys.CLIENT.certificate()));
      }
      Attributes connection = attributes.build();
      return next.startCall(
          new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public Attributes getAttributes() {
              return connection;
            }
          },
          headers);
    }
  }

  /** A TLS session whose peer presented {@code certificate}; nothing else is asked of it. */
  private static SSLSession sessionWith(Certificate certificate) {
    return (SSLSession)
        Proxy.newProxyInstance(
            SSLSession.class.getClassLoader(),
            new Class<?>[] {SSLSession.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getPeerCertificates")) {
                return new Certificate[] {certificate};
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @Override
  public void close() throws IOException {
    channels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow();
    audit.close();
  }
}
