package dev.meridian.deploy;

import dev.meridian.controller.admin.RegionAdminService;
import dev.meridian.controller.admin.Role;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.deploy.topology.TopologyPlan;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a command reaches the failover controller's admin RPC: {@code --target} and the bearer token,
 * from {@code --token-file}, else {@value #TOKEN_VARIABLE}, else the demo's token of the role the
 * command needs ({@code run/demo/tokens/<role>}), so that it never shows in a process list or shell
 * history and a command run from the demo's directory needs no flag for it. A standby's answer
 * names the leader; the command then asks the leader, once.
 */
final class AdminAccess {
  /** The environment variable holding the admin bearer token. */
  static final String TOKEN_VARIABLE = "MERIDIAN_ADMIN_TOKEN";

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @Option(
      names = "--target",
      defaultValue = ListenAddress.DEFAULT_HOST + ":7400",
      description =
          "A controller's admin address; a standby's answer names the leader, which the command"
              + " then asks (default: ${DEFAULT-VALUE}).")
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

  @Mixin DeadlineOption deadline;
  @Mixin TlsOptions tls;

  /** What a command does with the admin RPC, whose errors end it. */
  @FunctionalInterface
  interface Work {
    /**
     * Calls the admin RPC.
     *
     * @throws StatusRuntimeException when a call fails
     */
    void run(RegionAdminGrpc.RegionAdminBlockingStub admin);
  }

  /**
   * Runs {@code work} as {@code command} with a token of {@code role}, under {@code --timeout},
   * against {@code --target} or, when that is a standby, against the leader it names; tells {@code
   * err} where it went and what went wrong.
   *
   * @return the exit code: 0, {@link MeridianCommand#EXIT_USAGE} without a token, or {@link
   *     PredictCommand#EXIT_CALL_FAILED} when a call failed
   */
  int call(String command, Role role, PrintWriter err, Work work) throws InterruptedException {
    Optional<String> token = token(role);
    if (token.isEmpty()) {
      err.println(noToken(command, role));
      return MeridianCommand.EXIT_USAGE;
    }
    TransportSecurity security = tls.security();
    try {
      String controller = target;
      boolean redirected = false;
      while (true) {
        try {
          run(controller, security, token.get(), work);
          return 0;
        } catch (StatusRuntimeException e) {
          Optional<String> leader = RegionAdminService.leaderOf(e);
          if (redirected || leader.isEmpty() || leader.get().equals(controller)) {
            err.println(command + " failed: " + Endpoints.describe(e));
            return PredictCommand.EXIT_CALL_FAILED;
          }
          err.println(
              command + ": " + controller + " is a standby; asking the leader, " + leader.get());
          controller = leader.get();
          redirected = true;
        }
      }
    } finally {
      security.close();
    }
  }

  /** Runs {@code work} against the controller at {@code address}, under {@code --timeout}. */
  private void run(String address, TransportSecurity security, String token, Work work)
      throws InterruptedException {
    ManagedChannel channel = channel(address, security, token);
    try {
      work.run(
          RegionAdminGrpc.newBlockingStub(channel)
              .withDeadlineAfter(deadline.timeout.toNanos(), TimeUnit.NANOSECONDS));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

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
  private Optional<String> token(Role role) {
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
  private static String noToken(String command, Role role) {
    return command
        + ": no token: pass --token-file, set "
        + TOKEN_VARIABLE
        + ", or run from the directory of a demo (which writes "
        + demoTokenFile(role)
        + ")";
  }

  /**
   * A channel to the controller at {@code address} that sends {@code token} on every call; with TLS
   * the controller must prove its role before the token leaves this process.
   */
  private static ManagedChannel channel(String address, TransportSecurity security, String token) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token);
    return Endpoints.channel(
        "--target",
        address,
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
