package dev.meridian.deploy.gameday;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds the replica processes region agents run on this machine, by the replica spec each gets as
 * JSON on its command line, read from {@code /proc} (Linux).
 */
public final class ReplicaProcesses {
  private ReplicaProcesses() {}

  /**
   * The replica processes among {@code candidates} whose spec has every field of {@code spec} at
   * its value ({@code region}, {@code replicaId}, {@code modelName}).
   */
  public static List<ProcessHandle> among(
      Stream<ProcessHandle> candidates, Map<String, String> spec) {
    List<String> markers =
        spec.entrySet().stream()
            .map(field -> "\"" + field.getKey() + "\":\"" + field.getValue() + "\"")
            .toList();
    return candidates
        .filter(
            process -> {
              String command = commandLine(process);
              return command.contains("ReplicaMain")
                  && markers.stream().allMatch(command::contains);
            })
        .toList();
  }

  /**
   * The process's full command line. Read from /proc because {@link ProcessHandle.Info} cuts it at
   * 4 KiB, and a replica started from a long class path has its spec beyond that.
   */
  public static String commandLine(ProcessHandle process) {
    try {
      return Files.readString(
          Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return ""; // it has exited, or is not ours to read
    }
  }
}
