package dev.meridian.deploy;

import dev.meridian.core.tls.TlsFiles;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.deploy.topology.TopologyCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a command connects: with the demo's client certificate when the demo wrote one (so {@code
 * predict}, {@code bench} and {@code drain} work against the demo without flags), with the
 * certificate of another directory, or in plaintext.
 */
final class TlsOptions {
  @Option(
      names = "--tls-dir",
      defaultValue = DemoCommand.DEFAULT_DIRECTORY + "/" + TopologyCertificates.DIRECTORY,
      description =
          "Directory with ca.crt, "
              + TopologyCertificates.CLI
              + ".crt and "
              + TopologyCertificates.CLI
              + ".key; used when it exists (default: ${DEFAULT-VALUE}).")
  Path directory;

  @Option(names = "--plaintext", description = "Connect without TLS.")
  boolean plaintext;

  /** The connection security these options ask for. */
  TransportSecurity security() {
    TlsFiles files = TlsFiles.in(directory, TopologyCertificates.CLI, Duration.ofMinutes(1));
    if (plaintext || !Files.exists(files.certificate())) {
      return TransportSecurity.plaintext();
    }
    return TransportSecurity.of(Optional.of(files));
  }
}
