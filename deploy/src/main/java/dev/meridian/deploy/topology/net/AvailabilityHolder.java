package dev.meridian.deploy.topology.net;

import dev.meridian.deploy.topology.net.ExternalCommand.CommandFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Whether a lab can be made here, found once per JVM by making a throwaway one. */
final class AvailabilityHolder {
  private AvailabilityHolder() {}

  static final NetworkLab.Availability AVAILABILITY = probe();

  private static NetworkLab.Availability probe() {
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
      return NetworkLab.Availability.no("network namespaces need Linux; this is " + os);
    }
    Optional<Integer> uid = effectiveUid();
    if (uid.isPresent() && uid.get() != 0) {
      return NetworkLab.Availability.no(
          "not root (effective uid "
              + uid.get()
              + "): network namespaces, veth links and iptables rules need root");
    }
    Optional<Path> ip = ExternalCommand.find("ip");
    if (ip.isEmpty()) {
      return NetworkLab.Availability.no(
          "`ip` not found on PATH or in /usr/sbin, /sbin (Debian: apt-get install iproute2)");
    }
    Optional<Path> iptables = ExternalCommand.find("iptables");
    if (iptables.isEmpty()) {
      return NetworkLab.Availability.no(
          "`iptables` not found on PATH or in /usr/sbin, /sbin (Debian: apt-get install"
              + " iptables)");
    }
    Tools tools = new Tools(ip.get().toString(), iptables.get().toString());
    String probe = NetworkLab.PROBE_NAMESPACE_PREFIX + ProcessHandle.current().pid();
    try {
      ExternalCommand.check(NetworkLab.COMMAND_TIMEOUT, tools.ipCommand("netns", "add", probe));
    } catch (CommandFailedException e) {
      return NetworkLab.Availability.no("cannot create a network namespace: " + e.getMessage());
    }
    try {
      ExternalCommand.check(
          NetworkLab.COMMAND_TIMEOUT,
          tools.ipCommand("-n", probe, "link", "add", "probe-br", "type", "bridge"));
      ExternalCommand.check(
          NetworkLab.COMMAND_TIMEOUT,
          tools.ipCommand(
              "-n", probe, "link", "add", "probe-v0", "type", "veth", "peer", "name", "probe-v1"));
      ExternalCommand.check(
          NetworkLab.COMMAND_TIMEOUT,
          tools.iptablesIn(probe, List.of("-N", NetworkLab.FAULT_CHAIN)));
      ExternalCommand.check(
          NetworkLab.COMMAND_TIMEOUT,
          tools.iptablesIn(probe, List.of("-I", "OUTPUT", "-j", NetworkLab.FAULT_CHAIN)));
      return NetworkLab.Availability.yes();
    } catch (CommandFailedException e) {
      return NetworkLab.Availability.no(
          "the kernel refused part of a lab in a network namespace: " + e.getMessage());
    } finally {
      ExternalCommand.run(NetworkLab.COMMAND_TIMEOUT, tools.ipCommand("netns", "del", probe));
    }
  }

  private static Optional<Integer> effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Optional.of(Integer.parseInt(line.substring(4).strip().split("\\s+")[1]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Unknown: let the namespace probe decide.
    }
    return Optional.empty();
  }
}
