package dev.meridian.deploy;

import dev.meridian.controller.admin.Role;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.deploy.topology.TopologyPlan;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.DrainRegionResponse;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import dev.meridian.proto.admin.v1.UndrainRegionRequest;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Drains a region (or undrains it) through the leading failover controller's admin RPC and prints
 * the resulting routing tables. The bearer token comes from {@code --token-file}, else {@value
 * #TOKEN_VARIABLE}, else the demo operator's token file ({@code run/demo/tokens/operator}), so it
 * never shows in a process list or shell history, and a drain from the demo's directory needs no
 * flag for it.
 */
@Command(
    name = "drain",
    description = "Drain or undrain a region through the failover controller's admin RPC.")
final class DrainCommand implements Callable<Integer> {
  /** The environment variable holding the admin bearer token. */
  static final String TOKEN_VARIABLE = "MERIDIAN_ADMIN_TOKEN";

  /** The demo operator's token file, relative to the directory the demo runs in. */
  static final Path DEMO_TOKEN_FILE =
      TopologyPlan.tokenFile(Path.of(DemoCommand.DEFAULT_DIRECTORY), Role.OPERATOR);

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @Option(
      names = "--target",
      defaultValue = ListenAddress.DEFAULT_HOST + ":7400",
      description = "The leading controller's admin address (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--region", required = true, description = "The region to drain or undrain.")
  String region;

  @Option(names = "--reason", required = true, description = "Why, for the audit log and tables.")
  String reason;

  @Option(names = "--undrain", description = "Return the region to service instead.")
  boolean undrain;

  @Option(names = "--dry-run", description = "Show what the drain would do; change nothing.")
  boolean dryRun;

  @Option(
      names = "--force",
      description = "Drain even if a model would be left with no serving region.")
  boolean force;

  @Option(
      names = "--token-file",
      paramLabel = "<file>",
      description =
          "File holding the bearer token (default: $"
              + TOKEN_VARIABLE
              + " if set, else the demo operator's, "
              + DemoCommand.DEFAULT_DIRECTORY
              + "/tokens/operator; a forced drain needs an admin's, e.g. "
              + DemoCommand.DEFAULT_DIRECTORY
              + "/tokens/admin).")
  Path tokenFile;

  @Mixin DeadlineOption deadline;
  @Mixin TlsOptions tls;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Optional<String> token = token();
    if (token.isEmpty()) {
      err.println(
          "drain: no token: pass --token-file, set "
              + TOKEN_VARIABLE
              + ", or run from the directory of a demo (which writes "
              + DEMO_TOKEN_FILE
              + ")");
      return MeridianCommand.EXIT_USAGE;
    }
    if (undrain && (dryRun || force)) {
      err.println("drain: --dry-run and --force apply to a drain, not to --undrain");
      return MeridianCommand.EXIT_USAGE;
    }
    // With TLS, the controller must prove its role before the token leaves this process.
    TransportSecurity security = tls.security();
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token.get());
    ManagedChannel channel =
        Endpoints.channel(
            "--target",
            target,
            security,
            TlsPeer.CONTROLLER,
            MetadataUtils.newAttachHeadersInterceptor(headers));
    try {
      RegionAdminGrpc.RegionAdminBlockingStub admin =
          RegionAdminGrpc.newBlockingStub(channel)
              .withDeadlineAfter(deadline.timeout.toNanos(), TimeUnit.NANOSECONDS);
      PrintWriter out = spec.commandLine().getOut();
      if (undrain) {
        List<RoutingTable> tables =
            admin
                .undrainRegion(
                    UndrainRegionRequest.newBuilder().setRegion(region).setReason(reason).build())
                .getTablesList();
        out.println("undrained " + region);
        tables.forEach(table -> out.print(format(table)));
        return 0;
      }
      out.print(
          format(
              region,
              admin.drainRegion(
                  DrainRegionRequest.newBuilder()
                      .setRegion(region)
                      .setReason(reason)
                      .setDryRun(dryRun)
                      .setForce(force)
                      .build())));
      return 0;
    } catch (StatusRuntimeException e) {
      err.println("drain failed: " + Endpoints.describe(e));
      return PredictCommand.EXIT_CALL_FAILED;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      security.close();
    }
  }

  /**
   * The token: from {@code --token-file}, the environment, or the demo's file, in that order.
   *
   * @throws IllegalArgumentException when {@code --token-file} cannot be read or is empty
   */
  private Optional<String> token() {
    if (tokenFile != null) {
      return Optional.of(read(tokenFile));
    }
    String variable = System.getenv(TOKEN_VARIABLE);
    if (variable != null && !variable.isBlank()) {
      return Optional.of(variable.trim());
    }
    return Files.exists(DEMO_TOKEN_FILE) ? Optional.of(read(DEMO_TOKEN_FILE)) : Optional.empty();
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

  /**
   * A drain's outcome: what it did (or would do) to {@code region}, the tables, and the capacity
   * projection.
   */
  static String format(String region, DrainRegionResponse response) {
    StringBuilder text =
        new StringBuilder(
            (response.getDryRun() ? "dry run, nothing changed: draining " : "draining ")
                + region
                + "\n");
    response.getTablesList().forEach(table -> text.append(format(table)));
    if (response.hasCapacity()) {
      text.append(LoadProjectionFormat.format(response.getCapacity()));
    }
    return text.toString();
  }

  /** One table as operators read it: a header line, then one line per region. */
  static String format(RoutingTable table) {
    StringBuilder text =
        new StringBuilder()
            .append("model ")
            .append(table.getModelName())
            .append(" version ")
            .append(table.getVersion())
            .append(table.getPanic() ? " PANIC" : "")
            .append('\n');
    for (RegionRoute route : table.getRegionsList()) {
      text.append(
          String.format(
              "  %-12s weight %-6d %-9s %d/%d replicas  %s%n",
              route.getRegion(),
              Integer.toUnsignedLong(route.getWeight()),
              route.getState().name().replace("REGION_STATE_", ""),
              route.getHealthyReplicas(),
              route.getTotalReplicas(),
              route.getReason()));
    }
    return text.toString();
  }
}
