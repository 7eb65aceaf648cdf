package dev.meridian.deploy;

import dev.meridian.deploy.backup.BackupSummary;
import dev.meridian.deploy.backup.ControlPlaneBackup;
import dev.meridian.deploy.backup.ControlPlaneRestorer;
import dev.meridian.deploy.backup.RestoreOutcome;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.RegistryException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meridian restore}: puts a {@code meridian backup} file back into Consul, typically one
 * that lost its data: the epoch counter to the control datacenter (only ever raised), the drains
 * and routing tables to every datacenter, each by check-and-set and never over a newer copy. It
 * refuses a target that already holds control-plane state unless {@code --force}, and prints what
 * it wrote in each datacenter.
 */
@Command(
    name = "restore",
    description =
        "Restore a meridian backup into Consul: the epoch counter to the control datacenter (never"
            + " lowered), drains and routing tables to every datacenter (never over a newer copy)."
            + " Refuses a target that is not empty unless --force.")
final class RestoreCommand implements Callable<Integer> {
  /** Exit code for a target that already holds control-plane state, without {@code --force}. */
  static final int EXIT_NOT_EMPTY = 3;

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "The backup file.")
  Path in;

  @Option(
      names = "--datacenters",
      split = ",",
      paramLabel = "DC",
      description = "The datacenters to write (default: those the backup was read from).")
  List<String> datacenters;

  @Option(
      names = "--control-datacenter",
      paramLabel = "DC",
      description =
          "The controllers' datacenter, which gets the epoch counter (default: the backup's).")
  String controlDatacenter;

  @Option(
      names = "--force",
      description =
          "Restore into a target that holds control-plane state already; copies newer than the"
              + " backup's are kept even then.")
  boolean force;

  @Mixin ConsulOptions consul;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ControlPlaneBackup backup = ControlPlaneBackup.read(in);
    List<String> targets =
        datacenters == null || datacenters.isEmpty() ? backup.info().datacenters() : datacenters;
    String control =
        controlDatacenter != null
            ? controlDatacenter
            : backup
                .info()
                .controlDatacenter()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "--control-datacenter: "
                                + in
                                + " does not say which datacenter the controllers use (its"
                                + " Consul had no epoch counter); name it"));
    try (ConsulRegistry registry = new ConsulRegistry(consul.config(System::getenv))) {
      List<String> unknown = new ArrayList<>(targets);
      unknown.add(control);
      unknown.removeAll(registry.datacenters());
      if (!unknown.isEmpty()) {
        err.println(
            "restore: refused: Consul does not know datacenter(s) "
                + unknown
                + " (its catalog: "
                + registry.datacenters()
                + "); pass --datacenters and --control-datacenter");
        return MeridianCommand.EXIT_FAILED;
      }
      ControlPlaneRestorer restorer = new ControlPlaneRestorer(registry, InstantSource.system());
      Map<String, List<String>> existing = restorer.existing(targets, control);
      if (!existing.isEmpty() && !force) {
        err.println(
            "restore: refused: the target is not empty: "
                + existing.entrySet().stream()
                    .map(held -> held.getKey() + " holds " + String.join(", ", held.getValue()))
                    .collect(Collectors.joining("; "))
                + ". Restore into an empty Consul, or pass --force to restore over it (copies"
                + " newer than the backup's are kept even then).");
        return EXIT_NOT_EMPTY;
      }
      out.println(
          "restoring " + in + (existing.isEmpty() ? " into an empty Consul" : " (--force)"));
      BackupSummary.lines(backup, Instant.now()).forEach(line -> out.println("  " + line));
      List<RestoreOutcome> outcomes = restorer.restore(backup, targets, control);
      print(out, outcomes, control);
      boolean failed = outcomes.stream().anyMatch(o -> o.result() == RestoreOutcome.Result.FAILED);
      if (failed) {
        err.println("restore: some keys were not written (FAILED above); run it again");
        return MeridianCommand.EXIT_FAILED;
      }
      return 0;
    } catch (RegistryException e) {
      err.println("restore failed: " + e.getMessage());
      return MeridianCommand.EXIT_FAILED;
    }
  }

  /** Per datacenter: a count of each result, then one line per key. */
  private static void print(PrintWriter out, List<RestoreOutcome> outcomes, String control) {
    Map<String, List<RestoreOutcome>> byDatacenter = new LinkedHashMap<>();
    outcomes.forEach(
        outcome ->
            byDatacenter
                .computeIfAbsent(outcome.datacenter(), dc -> new ArrayList<>())
                .add(outcome));
    byDatacenter.forEach(
        (datacenter, written) -> {
          Map<RestoreOutcome.Result, Long> counts =
              written.stream()
                  .collect(
                      Collectors.groupingBy(
                          RestoreOutcome::result,
                          () -> new EnumMap<>(RestoreOutcome.Result.class),
                          Collectors.counting()));
          out.println(
              datacenter
                  + (datacenter.equals(control) ? " (control)" : "")
                  + ": "
                  + counts.entrySet().stream()
                      .map(
                          count ->
                              count.getValue()
                                  + " "
                                  + count.getKey().name().toLowerCase(Locale.ROOT))
                      .collect(Collectors.joining(", ")));
          written.forEach(outcome -> out.println("  " + outcome));
        });
  }
}
