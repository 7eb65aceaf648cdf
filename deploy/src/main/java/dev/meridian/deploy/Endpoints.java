package dev.meridian.deploy;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Parses {@code host:port} addresses typed on the command line and opens channels to them. */
final class Endpoints {
  private Endpoints() {}

  /**
   * Opens a plaintext channel to {@code target}.
   *
   * @param option the option that gave the address, named in errors
   */
  static ManagedChannel channel(String option, String target, ClientInterceptor... interceptors) {
    InetSocketAddress address = parse(option, target);
    return NettyChannelBuilder.forAddress(address.getHostString(), address.getPort())
        .usePlaintext()
        .intercept(interceptors)
        .build();
  }

  /** A failed call as people read it: {@code CODE: description}. */
  static String describe(StatusRuntimeException failure) {
    Status status = failure.getStatus();
    return status.getDescription() == null
        ? status.getCode().toString()
        : status.getCode() + ": " + status.getDescription();
  }

  /**
   * Parses {@code host:port[,host:port...]}.
   *
   * @param option the option being parsed, named in errors
   * @throws IllegalArgumentException naming the bad entry
   */
  static List<InetSocketAddress> parseList(String option, String list) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String entry : list.split(",", -1)) {
      addresses.add(parse(option, entry.trim()));
    }
    return addresses;
  }

  /** Parses one {@code host:port}. */
  static InetSocketAddress parse(String option, String entry) {
    int colon = entry.lastIndexOf(':');
    if (colon <= 0 || colon == entry.length() - 1) {
      throw new IllegalArgumentException(option + ": '" + entry + "' (expected: host:port)");
    }
    try {
      int port = Integer.parseInt(entry.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            option + ": '" + entry + "' (expected: a port in 1..65535)");
      }
      return InetSocketAddress.createUnresolved(entry.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": '" + entry + "' (expected: host:port)", e);
    }
  }
}
