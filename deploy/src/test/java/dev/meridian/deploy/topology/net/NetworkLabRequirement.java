package dev.meridian.deploy.topology.net;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The rule of {@link NetworkLab}'s javadoc for tests that need a lab: where {@link
 * NetworkLab#requiredHere()} (CI) an unavailable lab fails the test; elsewhere it aborts it.
 */
final class NetworkLabRequirement {
  private NetworkLabRequirement() {}

  static void require() {
    NetworkLab.Availability availability = NetworkLab.availability();
    if (availability.available()) {
      return;
    }
    if (NetworkLab.requiredHere()) {
      fail(
          "the network lab must run in CI (CI="
              + System.getenv("CI")
              + ") but cannot here: "
              + availability.reason());
    }
    Assumptions.abort("no network lab here: " + availability.reason());
  }
}
