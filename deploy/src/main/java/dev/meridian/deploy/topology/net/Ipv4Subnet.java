package dev.meridian.deploy.topology.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 subnet such as {@code 10.203.0.0/24}: the network of a {@link NetworkLab}. Address number
 * 1 is the root namespace's end, 2 and up are the hosts.
 *
 * @param network the network address (host bits zero)
 * @param prefixLength 8 to 30
 */
public record Ipv4Subnet(Inet4Address network, int prefixLength) {

  public Ipv4Subnet {
    if (prefixLength < 8 || prefixLength > 30) {
      throw new IllegalArgumentException("prefix length must be 8 to 30, not " + prefixLength);
    }
    if ((toInt(network) & ~mask(prefixLength)) != 0) {
      throw new IllegalArgumentException(
          network.getHostAddress() + "/" + prefixLength + " has host bits set");
    }
  }

  /** Parses {@code a.b.c.d/len}. */
  public static Ipv4Subnet parse(String cidr) {
    int slash = cidr.indexOf('/');
    String address = slash < 0 ? "" : cidr.substring(0, slash);
    if (slash < 0 || !address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new IllegalArgumentException("not an IPv4 subnet like 10.203.0.0/24: " + cidr);
    }
    try {
      return new Ipv4Subnet(
          (Inet4Address) InetAddress.getByName(address),
          Integer.parseInt(cidr.substring(slash + 1)));
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("not an IPv4 subnet like 10.203.0.0/24: " + cidr, e);
    }
  }

  /** How many addresses the subnet has for the root end and hosts (without network, broadcast). */
  public int usableAddresses() {
    return (1 << (32 - prefixLength)) - 2;
  }

  /** The {@code number}th address, 1 to {@link #usableAddresses()}. */
  public Inet4Address address(int number) {
    if (number < 1 || number > usableAddresses()) {
      throw new IllegalArgumentException(
          this + " has no address number " + number + " (1 to " + usableAddresses() + ")");
    }
    int value = toInt(network) + number;
    byte[] bytes = {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are an IPv4 address", e);
    }
  }

  /** Whether {@code address} lies in this subnet. */
  public boolean contains(Inet4Address address) {
    return (toInt(address) & mask(prefixLength)) == toInt(network);
  }

  /** {@code address/len}, as {@code ip addr add} takes it. */
  String withPrefix(Inet4Address address) {
    return address.getHostAddress() + "/" + prefixLength;
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }

  private static int mask(int prefixLength) {
    return -1 << (32 - prefixLength);
  }

  private static int toInt(Inet4Address address) {
    byte[] b = address.getAddress();
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }
}
