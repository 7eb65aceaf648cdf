package dev.meridian.controller.admin;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The test-only key pairs beside this class, made with keytool (EC P-256, valid for 100 years):
 * {@code server.p12} for {@code CN=localhost} (SAN 127.0.0.1) and {@code client.p12} for {@code
 * CN=ci-bot.meridian.test}, the certificate {@link TestOperators} knows. Password {@value
 * #PASSWORD}.
 */
final class TestKeys {
  static final String PASSWORD = "test-only";

  /** One key pair and its self-signed certificate. */
  record Pair(PrivateKey key, X509Certificate certificate) {}

  static final Pair SERVER = load("server.p12", "server");
  static final Pair CLIENT = load("client.p12", "client");

  private TestKeys() {}

  private static Pair load(String resource, String alias) {
    try (InputStream in = TestKeys.class.getResourceAsStream(resource)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD.toCharArray());
      return new Pair(
          (PrivateKey) store.getKey(alias, PASSWORD.toCharArray()),
          (X509Certificate) store.getCertificate(alias));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the test key " + resource, e);
    }
  }
}
