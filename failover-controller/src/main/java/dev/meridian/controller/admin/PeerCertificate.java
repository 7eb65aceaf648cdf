package dev.meridian.controller.admin;

import io.grpc.Grpc;
import io.grpc.ServerCall;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The subject CN of the client certificate a call's peer presented, when the admin listener runs
 * TLS and the client sent one; empty over plaintext or without a client certificate. The TLS layer
 * has already checked the certificate against the listener's trusted CAs.
 */
final class PeerCertificate {
  private PeerCertificate() {}

  /** The CN of the peer certificate's subject (the most specific CN, if several). */
  static Optional<String> subjectCn(ServerCall<?, ?> call) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return Optional.empty();
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    return cn(leaf.getSubjectX500Principal().getName());
  }

  /** The CN of an RFC 2253 distinguished name. */
  static Optional<String> cn(String distinguishedName) {
    try {
      // LdapName lists the RDNs right to left: the most specific comes last.
      return new LdapName(distinguishedName)
          .getRdns().stream()
              .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
              .map(Rdn::getValue)
              .map(Object::toString)
              .reduce((earlier, later) -> later);
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}
