package dev.meridian.core.tls;

import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * JDK {@link SSLContext}s from PEM files, for the HTTP hops (Consul's API) that do not go through
 * gRPC's {@link TransportSecurity}: a client context that trusts given authorities, and a server
 * context that presents a certificate. The files are read once; stateless.
 */
public final class SslContexts {
  // Only guards the in-memory key store handed to the key manager factory.
  private static final char[] STORE_PASSWORD = "meridian".toCharArray();

  private SslContexts() {}

  /**
   * A client context trusting the certificates in {@code authority} (PEM), or the JDK's default
   * authorities when empty.
   *
   * @throws IllegalArgumentException naming the file when it holds no readable certificate
   */
  public static SSLContext client(Optional<Path> authority) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, authority.isEmpty() ? null : trust(authority.get()), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw unreadable(authority.map(Path::toString).orElse("the JDK's authorities"), e);
    }
  }

  /**
   * A server context presenting the chain in {@code certificate} with its {@code key} (PEM,
   * unencrypted PKCS#8); it does not ask clients for certificates.
   *
   * @throws IllegalArgumentException naming the files when they cannot be read
   */
  public static SSLContext server(Path certificate, Path key) {
    try {
      KeyStore store = emptyStore();
      store.setKeyEntry("identity", privateKey(key), STORE_PASSWORD, certificates(certificate));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, STORE_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw unreadable(certificate + " and " + key, e);
    }
  }

  private static TrustManager[] trust(Path authority) throws GeneralSecurityException, IOException {
    KeyStore store = emptyStore();
    X509Certificate[] authorities = certificates(authority);
    for (int i = 0; i < authorities.length; i++) {
      store.setCertificateEntry("authority-" + i, authorities[i]);
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    return trust.getTrustManagers();
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static X509Certificate[] certificates(Path file)
      throws GeneralSecurityException, IOException {
    try (InputStream in = Files.newInputStream(file)) {
      X509Certificate[] certificates = CertificateUtils.getX509Certificates(in);
      if (certificates.length == 0) {
        throw new GeneralSecurityException("no certificate in " + file);
      }
      return certificates;
    }
  }

  private static PrivateKey privateKey(Path file) throws GeneralSecurityException, IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return CertificateUtils.getPrivateKey(in);
    }
  }

  private static IllegalArgumentException unreadable(String files, Exception cause) {
    return new IllegalArgumentException(
        files
            + ": expected PEM certificates (and an unencrypted PKCS#8 key): "
            + cause.getMessage(),
        cause);
  }
}
