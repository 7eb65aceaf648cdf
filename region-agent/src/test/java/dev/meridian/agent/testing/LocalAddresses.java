package dev.meridian.agent.testing;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Optional;

/** This machine's addresses, for tests that bind something other than loopback. */
public final class LocalAddresses {
  private LocalAddresses() {}

  /**
   * An IPv4 address of an interface that is up and not loopback, if the machine has one: a server
   * bound to it alone cannot be reached on loopback, and the other way round.
   */
  public static Optional<String> nonLoopbackIpv4() {
    try {
      return NetworkInterface.networkInterfaces()
          .filter(LocalAddresses::isUpAndNotLoopback)
          .flatMap(NetworkInterface::inetAddresses)
          .filter(address -> address instanceof Inet4Address)
          .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
          .map(InetAddress::getHostAddress)
          .findFirst();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  private static boolean isUpAndNotLoopback(NetworkInterface network) {
    try {
      return network.isUp() && !network.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }
}
