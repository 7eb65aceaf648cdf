package dev.meridian.controller.admin;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the operators file: a name, a role, and how the operator proves who they are, either
 * a bearer token (stored hashed) or the subject CN of the client certificate they present on a TLS
 * admin listener. Immutable.
 *
 * @param name the name recorded as {@code operator:<name>}
 * @param role what the operator may do
 * @param token the hash of the operator's bearer token, when they use one
 * @param certificateCn the subject CN of the operator's client certificate, when they use one
 */
public record Operator(
    String name, Role role, Optional<TokenHash> token, Optional<String> certificateCn) {

  /** Checks that the operator has exactly one way in. */
  public Operator {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    if (token.isPresent() == certificateCn.isPresent()) {
      throw new IllegalArgumentException(
          "operator " + name + ": exactly one of a token hash and a certificate CN");
    }
  }

  /** An operator who sends a bearer token. */
  public static Operator withToken(String name, Role role, TokenHash token) {
    return new Operator(name, role, Optional.of(token), Optional.empty());
  }

  /** An operator known by their client certificate's subject CN. */
  public static Operator withCertificate(String name, Role role, String certificateCn) {
    return new Operator(name, role, Optional.empty(), Optional.of(certificateCn));
  }
}
