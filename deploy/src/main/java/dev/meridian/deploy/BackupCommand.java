package dev.meridian.deploy;

import dev.meridian.deploy.backup.BackupSummary;
import dev.meridian.deploy.backup.ControlPlaneBackup;
import dev.meridian.deploy.backup.ControlPlaneReader;
import dev.meridian.deploy.backup.KvExportFile;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.RegistryException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meridian backup}: reads the control plane's state from every datacenter (the routing
 * tables, the drains document, the leader epoch counter), keeps the newest copy of each key, and
 * writes it to one file in the format of {@code consul kv export}, with a {@code
 * meridian/backup/info} entry saying when and from where.
 */
@Command(
    name = "backup",
    description =
        "Back up the control plane's state from every datacenter to one file (the format of"
            + " consul kv export): the newest routing table of each model, the drains, the leader"
            + " epoch counter.")
final class BackupCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
  Path out;

  @Option(
      names = "--datacenters",
      split = ",",
      paramLabel = "DC",
      description = "The datacenters to read (default: every datacenter in Consul's catalog).")
  List<String> datacenters;

  @Option(
      names = "--control-datacenter",
      paramLabel = "DC",
      description =
          "The controllers' datacenter, recorded for restore (default: the one holding the epoch"
              + " counter).")
  String controlDatacenter;

  @Mixin ConsulOptions consul;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try (ConsulRegistry registry = new ConsulRegistry(consul.config(System::getenv))) {
      List<String> read =
          datacenters == null || datacenters.isEmpty() ? registry.datacenters() : datacenters;
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      ControlPlaneBackup backup =
          new ControlPlaneReader(registry, warning -> err.println("backup: " + warning))
              .read(read, Optional.ofNullable(controlDatacenter), now);
      if (backup.models().isEmpty()) {
        err.println("backup: no routing table in " + read + ": is this Meridian's Consul?");
      }
      KvExportFile.write(out, backup.entries());
      PrintWriter printed = spec.commandLine().getOut();
      printed.println("backup written to " + out);
      BackupSummary.lines(backup, now).forEach(line -> printed.println("  " + line));
      return 0;
    } catch (RegistryException | UncheckedIOException e) {
      err.println("backup failed, nothing written: " + e.getMessage());
      return MeridianCommand.EXIT_FAILED;
    }
  }
}
