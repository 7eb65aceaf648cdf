package dev.meridian.controller.admin;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What an operator may do with the admin RPC. Each role may do everything the ones before it may: a
 * {@link #VIEWER} reads and watches, an {@link #OPERATOR} also drains, undrains and runs dry runs,
 * an {@link #ADMIN} also forces drains (which is how a model loses its last serving region).
 */
public enum Role {
  /** Reads the tables and regions, and watches tables. */
  VIEWER,
  /** Also drains and undrains regions, and runs dry runs. */
  OPERATOR,
  /** Also forces drains, including one that leaves a model with no serving region. */
  ADMIN;

  /** The names the operators file and messages use, {@code viewer, operator, admin}. */
  public static final String NAMES = "one of viewer, operator, admin";

  /** Whether this role may do what {@code needed} may. */
  public boolean includes(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The role named {@code name} ({@code viewer}, {@code operator}, {@code admin}). */
  public static Optional<Role> named(String name) {
    return Arrays.stream(values()).filter(role -> role.label().equals(name)).findFirst();
  }

  /** The name the operators file and messages use. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
