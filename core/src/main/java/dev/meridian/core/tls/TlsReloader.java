package dev.meridian.core.tls;

import dev.meridian.core.DaemonThreads;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps grpc-java's advanced key and trust managers in step with a process's {@link TlsFiles}:
 * loads them once, then every {@code refresh} re-reads them when any file's modification time
 * changed. A rotation is applied only once the key matches the certificate (checked by signing), so
 * a key and certificate replaced one after the other are never served as a mismatched pair; files
 * that cannot be read are logged and the previous credentials kept. (grpc-java's own file watchers
 * poll no more often than once a minute and do not check the pair.) Thread-safe: the checks run on
 * one thread of their own.
 */
final class TlsReloader implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(TlsReloader.class);

  private final TlsFiles files;
  private final AdvancedTlsX509KeyManager identity;
  private final List<AdvancedTlsX509TrustManager> trust;
  private final ScheduledExecutorService checks;
  // Only touched by the first load and then by the check thread.
  private List<FileVersion> loadedVersions = List.of();

  private TlsReloader(
      TlsFiles files, AdvancedTlsX509KeyManager identity, List<AdvancedTlsX509TrustManager> trust) {
    this.files = files;
    this.identity = identity;
    this.trust = trust;
    this.checks = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tls-reload"));
  }

  /**
   * Loads {@code files} into the managers and keeps reloading them.
   *
   * @throws IOException or GeneralSecurityException when the first load fails
   */
  static TlsReloader start(
      TlsFiles files, AdvancedTlsX509KeyManager identity, List<AdvancedTlsX509TrustManager> trust)
      throws IOException, GeneralSecurityException {
    TlsReloader reloader = new TlsReloader(files, identity, trust);
    try {
      reloader.load();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      reloader.close();
      throw e;
    }
    long period = files.refresh().toNanos();
    reloader.checks.scheduleWithFixedDelay(
        reloader::reloadIfChanged, period, period, TimeUnit.NANOSECONDS);
    return reloader;
  }

  private void reloadIfChanged() {
    try {
      if (!versions().equals(loadedVersions)) {
        load();
        logger
            .atInfo()
            .addKeyValue("event", "tls_reloaded")
            .addKeyValue("cert", String.valueOf(files.certificate()))
            .addKeyValue("subject", subject())
            .log("TLS certificate reloaded");
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      logger
          .atWarn()
          .addKeyValue("event", "tls_reload_failed")
          .addKeyValue("cert", String.valueOf(files.certificate()))
          .setCause(e)
          .log("TLS reload failed: keeping the previous ones");
    }
  }

  private void load() throws IOException, GeneralSecurityException {
    List<FileVersion> versions = versions();
    PrivateKey key;
    X509Certificate[] chain;
    X509Certificate[] authorities;
    try (InputStream in = Files.newInputStream(files.key())) {
      key = CertificateUtils.getPrivateKey(in);
    }
    try (InputStream in = Files.newInputStream(files.certificate())) {
      chain = CertificateUtils.getX509Certificates(in);
    }
    try (InputStream in = Files.newInputStream(files.authority())) {
      authorities = CertificateUtils.getX509Certificates(in);
    }
    if (chain.length == 0 || authorities.length == 0) {
      throw new GeneralSecurityException(
          "no certificate in " + files.certificate() + " or " + files.authority());
    }
    checkPair(key, chain[0]);
    for (AdvancedTlsX509TrustManager manager : trust) {
      manager.updateTrustCredentials(authorities);
    }
    identity.updateIdentityCredentials(chain, key);
    loadedVersions = versions;
  }

  /** Fails unless {@code key} is the private key of {@code certificate}. */
  private void checkPair(PrivateKey key, X509Certificate certificate)
      throws GeneralSecurityException {
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] probe = "meridian-tls-pair-check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException(
          files.key() + " is not the key of the certificate in " + files.certificate());
    }
  }

  private List<FileVersion> versions() throws IOException {
    return List.of(
        FileVersion.of(files.certificate()),
        FileVersion.of(files.key()),
        FileVersion.of(files.authority()));
  }

  /** What tells one version of a file from the next. */
  private record FileVersion(FileTime modified, long size) {
    static FileVersion of(Path file) throws IOException {
      return new FileVersion(Files.getLastModifiedTime(file), Files.size(file));
    }
  }

  private String subject() {
    X509Certificate[] chain = identity.getCertificateChain("default");
    return chain == null || chain.length == 0
        ? "unknown"
        : chain[0].getSubjectX500Principal().getName();
  }

  /** Stops the checks. */
  @Override
  public void close() {
    checks.shutdownNow();
  }
}
