package dev.meridian.deploy.topology.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Creating and removing labs: nothing of a lab outlives its {@code close()}, however it went. */
class NetworkLabLifecycleTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final Ipv4Subnet SUBNET = Ipv4Subnet.parse("10.203.1.0/24");

  @BeforeEach
  void requireLab() {
    NetworkLabRequirement.require();
  }

  @Test
  void closeRemovesEveryNamespaceLinkRuleAndProcessAndIsIdempotent() throws Exception {
    String rootRules = sh("iptables", "-w", "5", "-S");
    NetworkLab lab = NetworkLab.create("mnllife", List.of("x", "y"), SUBNET);
    assertThat(namespaces("mnllife"))
        .containsExactlyInAnyOrder("mnllife-switch", "mnllife-x", "mnllife-y");
    assertThat(rootLinks("mnllife")).containsExactly("mnllife-root");
    assertThat(lab.root().ip()).isEqualTo("10.203.1.1");
    Fault fault = lab.blackhole(lab.host("x"), lab.host("y"));
    assertThat(sh("ip", "netns", "exec", "mnllife-x", "iptables", "-w", "5", "-S"))
        .contains("-A INPUT -j " + NetworkLab.FAULT_CHAIN)
        .contains("-A " + NetworkLab.FAULT_CHAIN + " -s 10.203.1.3/32 -j DROP");
    Process sleeper = new ProcessBuilder(lab.host("x").command("sleep", "600")).start();

    lab.close();

    assertThat(namespaces("mnllife")).isEmpty();
    assertThat(rootLinks("mnllife")).isEmpty();
    assertThat(sh("iptables", "-w", "5", "-S")).isEqualTo(rootRules);
    assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(fault.isActive()).isFalse();
    assertThat(Path.of("/run/meridian-netlab/mnllife.lock")).doesNotExist();
    lab.close();
    assertThatThrownBy(() -> lab.blackhole(lab.host("x"), lab.host("y")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aCreationThatFailsHalfwayRemovesWhatItMade() {
    assertThatThrownBy(
            () ->
                NetworkLab.create(
                    "mnlhalf",
                    List.of("x", "y", "z"),
                    SUBNET,
                    step -> {
                      if (step.equals("y")) {
                        throw new IllegalStateException("stop after y");
                      }
                    }))
        .hasMessage("stop after y");

    assertThat(namespaces("mnlhalf")).isEmpty();
    assertThat(rootLinks("mnlhalf")).isEmpty();
    assertThat(Path.of("/run/meridian-netlab/mnlhalf.lock")).doesNotExist();
  }

  @Test
  void leftoversOfADeadLabAreRemovedAndOnlyThose() {
    sh("ip", "netns", "add", "mnlold-switch");
    sh("ip", "netns", "add", "mnlold-x");
    sh("ip", "netns", "add", "mnlolder-x");
    try {
      sh(
          "ip",
          "link",
          "add",
          "mnlold-root",
          "type",
          "veth",
          "peer",
          "name",
          "mnlold-p0",
          "netns",
          "mnlold-switch");

      assertThat(NetworkLab.removeLeftovers("mnlold"))
          .containsExactlyInAnyOrder(
              "link mnlold-root", "namespace mnlold-switch", "namespace mnlold-x");
      assertThat(namespaces("mnlold")).isEmpty();
      assertThat(rootLinks("mnlold")).isEmpty();
      assertThat(namespaces("mnlolder")).containsExactly("mnlolder-x");

      // And create does the same before it starts.
      sh("ip", "netns", "add", "mnlold-x");
      try (NetworkLab lab = NetworkLab.create("mnlold", List.of("x"), SUBNET)) {
        assertThat(namespaces("mnlold")).containsExactlyInAnyOrder("mnlold-switch", "mnlold-x");
        assertThat(lab.host("x").ip()).isEqualTo("10.203.1.2");
      }
    } finally {
      sh("ip", "netns", "del", "mnlolder-x");
    }
  }

  @Test
  void aPrefixOrSubnetInUseIsRefusedWithoutHarmingItsLab() {
    try (NetworkLab lab = NetworkLab.create("mnlbusy", List.of("x"), SUBNET)) {
      assertThatThrownBy(() -> NetworkLab.create("mnlbusy", List.of("x"), SUBNET))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already open");
      assertThatThrownBy(() -> NetworkLab.removeLeftovers("mnlbusy"))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> NetworkLab.create("mnlother", List.of("x"), SUBNET))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("10.203.1.0/24 is already in use");

      assertThat(namespaces("mnlbusy")).containsExactlyInAnyOrder("mnlbusy-switch", "mnlbusy-x");
      assertThat(namespaces("mnlother")).isEmpty();
      assertThat(rootLinks("mnlother")).isEmpty();
      assertThat(lab.activeFaults()).isEmpty();
    }
  }

  private static List<String> namespaces(String prefix) {
    return sh("ip", "netns", "list")
        .lines()
        .map(line -> line.split("\\s+", 2)[0])
        .filter(name -> name.startsWith(prefix + "-"))
        .collect(Collectors.toList());
  }

  private static List<String> rootLinks(String prefix) {
    return sh("ip", "-o", "link", "show")
        .lines()
        .map(line -> line.split(":\\s+", 3)[1].split("@", 2)[0])
        .filter(name -> name.startsWith(prefix + "-"))
        .collect(Collectors.toList());
  }

  private static String sh(String... argv) {
    List<String> command = Arrays.asList(argv);
    command.set(0, ExternalCommand.find(argv[0]).orElseThrow().toString());
    return ExternalCommand.check(TIMEOUT, command);
  }

  static {
    // The lock directory may be absent before the first lab; that is no leftover.
    try {
      Files.createDirectories(Path.of("/run/meridian-netlab"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
