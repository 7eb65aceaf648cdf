package dev.meridian.core.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for the demo and the tests: an ECDSA P-256 root that issues
 * certificates usable by both ends of a TLS connection, written as PEM files (the certificate, and
 * the key as unencrypted PKCS#8) that {@link TransportSecurity} reads. Production deployments bring
 * certificates from their own CA; nothing here is meant to replace one. Thread-safe (immutable;
 * issuing only reads the root).
 */
public final class CertificateAuthority {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SIGNATURE = "SHA256withECDSA";

  private final KeyPair keys;
  private final X509Certificate certificate;

  private CertificateAuthority(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** Creates a root named {@code CN=<name>}, valid for {@code validity} from now. */
  public static CertificateAuthority create(String name, Duration validity) {
    KeyPair keys = newKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    try {
      X509v3CertificateBuilder builder = builder(subject, subject, keys, validity);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(keys, sign(builder, keys));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the certificate authority " + name, e);
    }
  }

  /** The root certificate, which peers trust. */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Issues a certificate for {@code CN=<commonName>} with {@code names} as subject alternative
   * names (IP addresses where a name parses as one, DNS names otherwise), for TLS servers and
   * clients both.
   */
  public Issued issue(String commonName, List<String> names, Duration validity) {
    KeyPair leaf = newKeyPair();
    try {
      X509v3CertificateBuilder builder =
          builder(
              new X500Name(certificate.getSubjectX500Principal().getName()),
              new X500Name("CN=" + commonName),
              leaf,
              validity);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      List<GeneralName> alternatives = new ArrayList<>();
      for (String name : names) {
        alternatives.add(
            new GeneralName(isIpAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
      }
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(
              Extension.keyUsage,
              true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
          .addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(
                  new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                  }))
          .addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(alternatives.toArray(GeneralName[]::new)))
          .addExtension(
              Extension.authorityKeyIdentifier,
              false,
              extensions.createAuthorityKeyIdentifier(certificate));
      return new Issued(sign(builder, keys), leaf);
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
    }
  }

  /** Writes the root certificate to {@code file} (PEM), replacing it atomically. */
  public void writeCertificate(Path file) {
    writeAtomically(file, pem(certificate));
  }

  /**
   * An issued certificate and its key pair.
   *
   * @param certificate the certificate, signed by the authority
   * @param keys its key pair
   */
  public record Issued(X509Certificate certificate, KeyPair keys) {
    /**
     * Writes the key, then the certificate (PEM), each replaced atomically, so that a process
     * reloading them never reads half a file.
     */
    public void write(Path certificateFile, Path keyFile) {
      try {
        writeAtomically(keyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode the key for " + keyFile, e);
      }
      writeAtomically(certificateFile, pem(certificate));
    }
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair keys, Duration validity) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(127, RANDOM),
        // A little in the past, so that a peer whose clock is slightly behind accepts it.
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(validity)),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(SIGNATURE + " is not available", e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has EC P-256", e);
    }
  }

  private static boolean isIpAddress(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + object.getClass().getSimpleName(), e);
    }
    return text.toString();
  }

  private static void writeAtomically(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      Files.writeString(temporary, text, StandardCharsets.US_ASCII);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
