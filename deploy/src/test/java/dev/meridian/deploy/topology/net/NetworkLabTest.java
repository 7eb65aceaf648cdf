package dev.meridian.deploy.topology.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traffic across a lab of three hosts, with a {@link NetProbe} in each, and the faults that cut it.
 * A dropped connect attempt is given {@link #DROPPED} to time out in; one that must get through is
 * given {@link #DELIVERED}, far more than it needs.
 */
class NetworkLabTest {
  private static final Duration DROPPED = Duration.ofMillis(800);
  private static final Duration DELIVERED = Duration.ofSeconds(5);

  private static NetworkLab lab;
  private static Host a;
  private static Host b;
  private static Host c;
  private static ProbeAgent probeA;
  private static ProbeAgent probeB;
  private static ProbeAgent probeC;
  private static int portA;
  private static int portB;
  private static int portC;

  @BeforeAll
  static void createLab() {
    NetworkLabRequirement.require();
    lab = NetworkLab.create("mnltest", List.of("a", "b", "c"));
    a = lab.host("a");
    b = lab.host("b");
    c = lab.host("c");
    // Start the three JVMs together, then wait for each.
    probeA = ProbeAgent.start(a);
    probeB = ProbeAgent.start(b);
    probeC = ProbeAgent.start(c);
    portA = probeA.awaitReady().tcpListen();
    portB = probeB.awaitReady().tcpListen();
    portC = probeC.awaitReady().tcpListen();
  }

  @AfterEach
  void heal() {
    if (lab != null) {
      lab.healAll();
      assertThat(lab.activeFaults()).isEmpty();
    }
  }

  @AfterAll
  static void closeLab() {
    for (ProbeAgent probe : new ProbeAgent[] {probeA, probeB, probeC}) {
      if (probe != null) {
        probe.close();
      }
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void eachHostHasItsNamespaceAddressAndCommand() {
    assertThat(lab.root().ip()).isEqualTo("10.203.0.1");
    assertThat(lab.hosts())
        .extracting(Host::ip)
        .containsExactly("10.203.0.2", "10.203.0.3", "10.203.0.4");
    assertThat(lab.hosts())
        .extracting(Host::namespace)
        .containsExactly("mnltest-a", "mnltest-b", "mnltest-c");
    assertThat(b.command("hostname")).endsWith("netns", "exec", "mnltest-b", "hostname");
    assertThat(lab.root().command("hostname")).containsExactly("hostname");
  }

  @Test
  void hostsReachEachOtherAndTheRootReachesThemThroughTheBridge() {
    assertThat(probeA.tcpConnect(b, portB, DELIVERED)).isEqualTo("connected hello from 10.203.0.3");
    assertThat(probeB.tcpConnect(c, portC, DELIVERED)).isEqualTo("connected hello from 10.203.0.4");
    assertThat(probeC.tcpConnect(a, portA, DELIVERED)).isEqualTo("connected hello from 10.203.0.2");
    assertThat(NetProbe.tcpConnect(b.ip(), portB, (int) DELIVERED.toMillis()))
        .isEqualTo("connected hello from 10.203.0.3");
    // Nothing listens on the lab address of the root end's port 1: refused, not dropped.
    assertThat(probeA.tcpConnect(b, 1, DELIVERED)).isEqualTo("refused");
  }

  @Test
  void blackholeDropsBothWaysAndOnlyBetweenItsPair() {
    Fault fault = lab.blackhole(a, b);

    long start = System.nanoTime();
    assertThat(probeA.tcpConnect(b, portB, DROPPED)).isEqualTo("timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(DROPPED);
    assertThat(probeB.tcpConnect(a, portA, DROPPED)).isEqualTo("timeout");
    assertThat(probeA.tcpConnect(c, portC, DELIVERED)).startsWith("connected");
    assertThat(probeC.tcpConnect(b, portB, DELIVERED)).startsWith("connected");
    assertThat(NetProbe.tcpConnect(b.ip(), portB, (int) DELIVERED.toMillis()))
        .startsWith("connected");

    fault.heal();
    assertThat(fault.isActive()).isFalse();
    assertThat(probeA.tcpConnect(b, portB, DELIVERED)).startsWith("connected");
    assertThat(probeB.tcpConnect(a, portA, DELIVERED)).startsWith("connected");
  }

  @Test
  void dropOneWayDropsOnlyWhatTheSenderSends() {
    int udpA = probeA.udpListen();
    int udpB = probeB.udpListen();
    lab.dropOneWay(a, b);

    assertThat(probeA.tcpConnect(b, portB, DROPPED)).isEqualTo("timeout");
    assertThat(probeB.udpSend(a, udpA, "b-to-a")).isEqualTo("sent");
    assertThat(probeA.udpReceive("b-to-a", DELIVERED)).isEqualTo("received b-to-a from 10.203.0.3");
    assertThat(probeA.udpSend(b, udpB, "a-to-b")).isEqualTo("sent");
    assertThat(probeB.udpReceive("a-to-b", DROPPED)).isEqualTo("timeout");
    // TCP the other way gets its SYN to a, but a's answer is dropped.
    assertThat(probeB.tcpConnect(a, portA, DROPPED)).isEqualTo("timeout");

    lab.heal(a, b);
    assertThat(probeA.tcpConnect(b, portB, DELIVERED)).startsWith("connected");
    assertThat(probeA.udpSend(b, udpB, "healed")).isEqualTo("sent");
    assertThat(probeB.udpReceive("healed", DELIVERED)).isEqualTo("received healed from 10.203.0.2");
  }

  @Test
  void faultsWithTheRootEndCutTheTestJvmOff() throws Exception {
    int rootPort = NetProbe.tcpListen(lab.root().ip());
    assertThat(probeB.tcpConnect(lab.root(), rootPort, DELIVERED))
        .isEqualTo("connected hello from 10.203.0.1");
    Fault fault = lab.blackhole(lab.root(), b);

    assertThat(NetProbe.tcpConnect(b.ip(), portB, (int) DROPPED.toMillis())).isEqualTo("timeout");
    assertThat(probeB.tcpConnect(lab.root(), rootPort, DROPPED)).isEqualTo("timeout");
    assertThat(NetProbe.tcpConnect(c.ip(), portC, (int) DELIVERED.toMillis()))
        .startsWith("connected");

    fault.heal();
    assertThat(NetProbe.tcpConnect(b.ip(), portB, (int) DELIVERED.toMillis()))
        .startsWith("connected");
    assertThat(probeB.tcpConnect(lab.root(), rootPort, DELIVERED)).startsWith("connected");
  }

  @Test
  void isolateCutsAHostOffFromEveryEndOfTheLab() {
    lab.isolate(b);

    assertThat(probeA.tcpConnect(b, portB, DROPPED)).isEqualTo("timeout");
    assertThat(probeB.tcpConnect(c, portC, DROPPED)).isEqualTo("timeout");
    assertThat(NetProbe.tcpConnect(b.ip(), portB, (int) DROPPED.toMillis())).isEqualTo("timeout");
    assertThat(probeA.tcpConnect(c, portC, DELIVERED)).startsWith("connected");
    assertThat(lab.activeFaults()).extracting(Fault::description).containsExactly("isolate b");

    lab.healAll();
    assertThat(NetProbe.tcpConnect(b.ip(), portB, (int) DELIVERED.toMillis()))
        .startsWith("connected");
  }
}
