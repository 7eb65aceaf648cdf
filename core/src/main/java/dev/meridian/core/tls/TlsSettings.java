package dev.meridian.core.tls;

import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.Setting;
import io.grpc.TlsServerCredentials.ClientAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code tls} section every role reads: the process's certificate and key, the authority it
 * trusts, and how often they are reloaded. Absent, the role speaks plaintext; present, every gRPC
 * listener of the role serves TLS and every gRPC client of the role presents its certificate.
 */
public final class TlsSettings {
  /** {@code tls.cert}. */
  public static final Setting<Path> CERTIFICATE =
      Setting.path("tls.cert")
          .derivedWhenAbsent("plaintext")
          .means("this process's certificate (PEM); with `tls.key` and `tls.ca`, turns TLS on");

  /** {@code tls.key}. */
  public static final Setting<Path> KEY =
      Setting.path("tls.key")
          .derivedWhenAbsent("plaintext")
          .means("the certificate's private key (PEM, unencrypted PKCS#8)");

  /** {@code tls.ca}. */
  public static final Setting<Path> AUTHORITY =
      Setting.path("tls.ca")
          .derivedWhenAbsent("plaintext")
          .means("the certificate authorities whose peers this process trusts (PEM)");

  /** {@code tls.refresh}. */
  public static final Setting<Duration> REFRESH =
      Setting.duration("tls.refresh", Duration.ofMillis(100), Duration.ofHours(24))
          .withDefault(Duration.ofMinutes(1))
          .means("how often the three files are checked for rotated ones");

  /**
   * {@code <key>}: whether a TLS listener asks its clients for certificates: {@code none}, {@code
   * optional} (a certificate, when sent, must come from the authority) or {@code require}.
   */
  public static Setting<ClientAuth> clientAuth(String key, ClientAuth defaultValue, String why) {
    return Setting.of(key, "none, optional or require", TlsSettings::readClientAuth)
        .withDefault(defaultValue, defaultValue.name().toLowerCase(Locale.ROOT))
        .means(why);
  }

  /** Every key of the section, for a role's schema. */
  public static final List<Setting<?>> SETTINGS = List.of(CERTIFICATE, KEY, AUTHORITY, REFRESH);

  private TlsSettings() {}

  private static ClientAuth readClientAuth(ConfigNode node, String leaf) {
    String text = node.string(leaf);
    try {
      return ClientAuth.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw node.invalid(leaf, text, "none, optional or require");
    }
  }

  /**
   * Reads the {@code tls} section: empty when it names no files.
   *
   * @throws dev.meridian.core.config.ConfigException naming the key when only some files are named
   */
  public static Optional<TlsFiles> read(ConfigNode tls) {
    Optional<Path> certificate = CERTIFICATE.readOptional(tls);
    Optional<Path> key = KEY.readOptional(tls);
    Optional<Path> authority = AUTHORITY.readOptional(tls);
    Duration refresh = REFRESH.read(tls);
    if (certificate.isEmpty() && key.isEmpty() && authority.isEmpty()) {
      return Optional.empty();
    }
    String all = "set with tls.cert, tls.key and tls.ca all three";
    return Optional.of(
        new TlsFiles(
            certificate.orElseThrow(() -> tls.invalid(CERTIFICATE.leaf(), null, all)),
            key.orElseThrow(() -> tls.invalid(KEY.leaf(), null, all)),
            authority.orElseThrow(() -> tls.invalid(AUTHORITY.leaf(), null, all)),
            refresh));
  }
}
