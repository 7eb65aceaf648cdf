package dev.meridian.deploy.topology.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The absolute paths of {@code ip} and {@code iptables}. */
record Tools(String ip, String iptables) {
  static Optional<Tools> find() {
    Optional<Path> ip = ExternalCommand.find("ip");
    Optional<Path> iptables = ExternalCommand.find("iptables");
    if (ip.isEmpty() || iptables.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Tools(ip.get().toString(), iptables.get().toString()));
  }

  List<String> ipCommand(String... arguments) {
    List<String> command = new ArrayList<>(List.of(ip));
    command.addAll(List.of(arguments));
    return command;
  }

  /** {@code iptables} inside {@code namespace}, waiting for the legacy backend's lock. */
  List<String> iptablesIn(String namespace, List<String> arguments) {
    List<String> command = new ArrayList<>(List.of(ip, "netns", "exec", namespace, iptables));
    command.addAll(List.of("-w", "5"));
    command.addAll(arguments);
    return command;
  }
}
