package dev.meridian.core.tls;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.TlsServerCredentials.ClientAuth;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.AdvancedTlsX509TrustManager.Verification;
import java.io.IOException;
import java.net.SocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Optional;

/**
 * How a process's gRPC servers and channels protect their connections: plaintext, or TLS with the
 * process's certificate on both ends (servers present it; clients present it and verify the
 * server's role name, see {@link TlsPeer}). With TLS, grpc-java's advanced key and trust managers
 * are re-loaded from the files every {@code tls.refresh} when they change ({@link TlsReloader}), so
 * a rotated certificate, key or authority takes effect for new connections without a restart, and
 * connections already open keep running. Every server and channel of a process is built here, so
 * none can be left plaintext by accident. Thread-safe; {@link #close} stops the reloading.
 */
public final class TransportSecurity implements AutoCloseable {
  private final Optional<Managers> managers;

  private TransportSecurity(Optional<Managers> managers) {
    this.managers = managers;
  }

  /** Plaintext everywhere. */
  public static TransportSecurity plaintext() {
    return new TransportSecurity(Optional.empty());
  }

  /**
   * TLS with {@code files}, or plaintext when empty.
   *
   * @throws IllegalArgumentException naming the files and keys when they cannot be read
   */
  public static TransportSecurity of(Optional<TlsFiles> files) {
    return new TransportSecurity(files.map(Managers::start));
  }

  /** Whether connections are TLS. */
  public boolean enabled() {
    return managers.isPresent();
  }

  /** A server builder for {@code address}; with TLS, asking clients for certificates as told. */
  public NettyServerBuilder server(SocketAddress address, ClientAuth clientAuth) {
    return NettyServerBuilder.forAddress(address, serverCredentials(clientAuth));
  }

  /** The credentials of a server that asks clients for certificates as {@code clientAuth} says. */
  public ServerCredentials serverCredentials(ClientAuth clientAuth) {
    if (managers.isEmpty()) {
      return InsecureServerCredentials.create();
    }
    return TlsServerCredentials.newBuilder()
        .keyManager(managers.get().identity)
        .trustManager(managers.get().clients)
        .clientAuth(clientAuth)
        .build();
  }

  /** A channel builder for {@code host:port}, a server of role {@code peer}. */
  public NettyChannelBuilder channel(String host, int port, TlsPeer peer) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port, channelCredentials());
    return managers.isPresent() ? builder.overrideAuthority(peer.serverName()) : builder;
  }

  /** The credentials a channel of this process uses; with TLS, verify {@link TlsPeer} names. */
  public ChannelCredentials channelCredentials() {
    if (managers.isEmpty()) {
      return InsecureChannelCredentials.create();
    }
    return TlsChannelCredentials.newBuilder()
        .keyManager(managers.get().identity)
        .trustManager(managers.get().servers)
        .build();
  }

  /** Stops re-reading the files. */
  @Override
  public void close() {
    managers.ifPresent(Managers::close);
  }

  /** The managers of one identity, and what reloads them. */
  private static final class Managers {
    private final AdvancedTlsX509KeyManager identity = new AdvancedTlsX509KeyManager();
    // Servers are checked for the role name the client asked for; clients only for the chain.
    private final AdvancedTlsX509TrustManager servers =
        trustManager(Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION);
    private final AdvancedTlsX509TrustManager clients =
        trustManager(Verification.CERTIFICATE_ONLY_VERIFICATION);
    private final TlsReloader reloader;

    private Managers(TlsFiles files) throws GeneralSecurityException, IOException {
      reloader = TlsReloader.start(files, identity, List.of(servers, clients));
    }

    static Managers start(TlsFiles files) {
      try {
        return new Managers(files);
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalArgumentException(
            "tls.cert "
                + files.certificate()
                + ", tls.key "
                + files.key()
                + ", tls.ca "
                + files.authority()
                + ": expected a PEM certificate, its PKCS#8 key and the authority's certificates ("
                + e.getMessage()
                + ")",
            e);
      }
    }

    private static AdvancedTlsX509TrustManager trustManager(Verification verification) {
      try {
        return AdvancedTlsX509TrustManager.newBuilder().setVerification(verification).build();
      } catch (CertificateException e) {
        throw new IllegalStateException("cannot create a trust manager", e);
      }
    }

    void close() {
      reloader.close();
    }
  }
}
