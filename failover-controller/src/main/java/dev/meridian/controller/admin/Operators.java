package dev.meridian.controller.admin;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The operators admitted to the admin RPC, as one version of the operators file lists them.
 * Immutable; names and certificate CNs are distinct.
 *
 * @param all every operator, in file order
 */
public record Operators(List<Operator> all) {

  /** Copies the list and checks that names and CNs are distinct. */
  public Operators {
    all = List.copyOf(all);
    HashSet<String> names = new HashSet<>();
    HashSet<String> subjects = new HashSet<>();
    for (Operator operator : all) {
      if (!names.add(operator.name())) {
        throw new IllegalArgumentException("operator " + operator.name() + ": listed twice");
      }
      if (operator.certificateCn().isPresent() && !subjects.add(operator.certificateCn().get())) {
        throw new IllegalArgumentException(
            "operator "
                + operator.name()
                + ": certificate CN "
                + operator.certificateCn().get()
                + " listed twice");
      }
    }
  }

  /**
   * The operator whose token {@code token} is. Slow: one PBKDF2 per operator until one matches, so
   * a wrong token costs one per token operator. Each comparison is constant-time; how many were
   * made tells only the holder of a valid token where it is listed.
   */
  public Optional<Operator> byToken(String token) {
    return all.stream()
        .filter(operator -> operator.token().map(hash -> hash.matches(token)).orElse(false))
        .findFirst();
  }

  /** The operator known by the client certificate subject CN {@code cn}. */
  public Optional<Operator> byCertificate(String cn) {
    return all.stream()
        .filter(operator -> operator.certificateCn().map(cn::equals).orElse(false))
        .findFirst();
  }
}
