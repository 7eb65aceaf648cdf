package dev.meridian.deploy;

import dev.meridian.controller.admin.Role;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.deploy.topology.TopologyPlan;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a command reaches the failover controller's admin RPC: {@code --target} and the bearer token,
 * from {@code --token-file}, else {@value #TOKEN_VARIABLE}, else the demo's token of the role the
 * command needs ({@code run/demo/tokens/<role>}), so that it never shows in a process list or shell
 * history and a command run from the demo's directory needs no flag for it.
 */
final class AdminAccess {
  /** The environment variable holding the admin bearer token. */
  static final String TOKEN_VARIABLE = "MERIDIAN_ADMIN_TOKEN";

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @Option(
      names = "--target",
      defaultValue = ListenAddress.DEFAULT_HOST + ":7400",
      description = "The leading controller's admin address (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(
      names = "--token-file",
      paramLabel = "<file>",
      description =
          "File holding the bearer token (default: $"
              + TOKEN_VARIABLE
              + " if set, else the demo's token for the command under "
              + DemoCommand.DEFAULT_DIRECTORY
              + "/tokens/; a forced drain needs an admin's, "
              + DemoCommand.DEFAULT_DIRECTORY
              + "/tokens/admin).")
  Path tokenFile;

  /** The demo's token file of {@code role}, relative to the directory the demo runs in. */
  static Path demoTokenFile(Role role) {
    return TopologyPlan.tokenFile(Path.of(DemoCommand.DEFAULT_DIRECTORY), role);
  }

  /**
   * The token: from {@code --token-file}, the environment, or the demo's file of {@code role}, in
   * that order; empty when none of them has one.
   *
   * @throws IllegalArgumentException when {@code --token-file} cannot be read or is empty
   */
  Optional<String> token(Role role) {
    if (tokenFile != null) {
      return Optional.of(read(tokenFile));
    }
    String variable = System.getenv(TOKEN_VARIABLE);
    if (variable != null && !variable.isBlank()) {
      return Optional.of(variable.trim());
    }
    Path demo = demoTokenFile(role);
    return Files.exists(demo) ? Optional.of(read(demo)) : Optional.empty();
  }

  /** What {@code command} says when {@link #token} found none for {@code role}. */
  static String noToken(String command, Role role) {
    return command
        + ": no token: pass --token-file, set "
        + TOKEN_VARIABLE
        + ", or run from the directory of a demo (which writes "
        + demoTokenFile(role)
        + ")";
  }

  /**
   * A channel to {@code --target} that sends {@code token} on every call; with TLS the controller
   * must prove its role before the token leaves this process.
   */
  ManagedChannel channel(TransportSecurity security, String token) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token);
    return Endpoints.channel(
        "--target",
        target,
        security,
        TlsPeer.CONTROLLER,
        MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static String read(Path file) {
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw new IllegalArgumentException("--token-file: " + file + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new IllegalArgumentException("--token-file: cannot read " + file + ": " + e, e);
    }
  }
}
