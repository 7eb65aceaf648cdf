package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.controller.admin.RegionAdminService;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.DrainRegionResponse;
import dev.meridian.proto.admin.v1.LoadProjection;
import dev.meridian.proto.admin.v1.ModelLoadProjection;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import dev.meridian.proto.admin.v1.SurvivorLoadProjection;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RegionState;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meridian drain} against a scripted admin server: what operators read. */
class DrainCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicReference<DrainRegionRequest> asked = new AtomicReference<>();
  private final List<Server> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(Server::shutdownNow);
  }

  /** Serves {@code answer} to every DrainRegion; returns the admin address. */
  private String serve(DrainRegionResponse answer, Status refusal) throws IOException {
    return serve(answer, refusal.isOk() ? null : refusal.asException());
  }

  /**
   * Serves {@code answer} to every DrainRegion, or {@code refusal} when it is not null; returns the
   * admin address.
   */
  private String serve(DrainRegionResponse answer, StatusException refusal) throws IOException {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new RegionAdminGrpc.RegionAdminImplBase() {
                  @Override
                  public void drainRegion(
                      DrainRegionRequest request, StreamObserver<DrainRegionResponse> response) {
                    if (refusal != null) {
                      response.onError(refusal);
                      return;
                    }
                    asked.set(request);
                    response.onNext(answer);
                    response.onCompleted();
                  }
                })
            .build()
            .start();
    servers.add(server);
    return "127.0.0.1:" + server.getPort();
  }

  /** Serves what a standby naming {@code leader} answers; returns its address. */
  private String standby(Optional<String> leader) throws IOException {
    return serve(DrainRegionResponse.getDefaultInstance(), RegionAdminService.standby(leader));
  }

  private int drain(String target, String... more) throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
    CommandLine commandLine = MeridianCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    String[] args = {
      "drain",
      "--target",
      target,
      "--plaintext",
      "--token-file",
      token.toString(),
      "--region",
      "us-east",
      "--reason",
      "kernel upgrade"
    };
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return commandLine.execute(all);
  }

  @Test
  void aDryRunPrintsTheTablesAndTheCapacityProjection() throws IOException {
    DrainRegionResponse answer =
        DrainRegionResponse.newBuilder()
            .setDryRun(true)
            .addTables(
                RoutingTable.newBuilder()
                    .setModelName("fraud-score")
                    .setVersion(7)
                    .addRegions(
                        RegionRoute.newBuilder()
                            .setRegion("eu-west")
                            .setWeight(20)
                            .setState(RegionState.REGION_STATE_ACTIVE)
                            .setHealthyReplicas(2)
                            .setTotalReplicas(2)
                            .setReason("2/2 replicas passing"))
                    .addRegions(
                        RegionRoute.newBuilder()
                            .setRegion("us-east")
                            .setState(RegionState.REGION_STATE_DRAINED)
                            .setHealthyReplicas(2)
                            .setTotalReplicas(2)
                            .setReason("drained by operator:otto: kernel upgrade")))
            .setCapacity(
                LoadProjection.newBuilder()
                    .setRegion("us-east")
                    .setMaxUtilisation(0.8)
                    .addModels(
                        ModelLoadProjection.newBuilder()
                            .setModelName("fraud-score")
                            .setLoadKnown(true)
                            .setDrainedInFlight(3)
                            .setDrainedCallsPerSecond(120)
                            .addSurvivors(
                                SurvivorLoadProjection.newBuilder()
                                    .setRegion("eu-west")
                                    .setShare(1)
                                    .setInFlight(2)
                                    .setProjectedInFlight(5)
                                    .setCapacity(20)
                                    .setUtilisation(0.25)))
                    .addModels(ModelLoadProjection.newBuilder().setModelName("fraud-score-lite"))
                    .addWarnings(
                        "no fresh load report names fraud-score-lite: the survivors' capacity was"
                            + " not checked for it"))
            .build();

    assertThat(drain(serve(answer, Status.OK), "--dry-run")).isZero();

    assertThat(asked.get().getDryRun()).isTrue();
    assertThat(out.toString())
        .isEqualTo(
            String.join(
                "\n",
                "dry run, nothing changed: draining us-east",
                "model fraud-score version 7",
                "  eu-west      weight 20     ACTIVE    2/2 replicas  2/2 replicas passing",
                "  us-east      weight 0      DRAINED   2/2 replicas  drained by operator:otto:"
                    + " kernel upgrade",
                "capacity: calls in flight (mean over the gateways' last reports) against capacity"
                    + " (calls run at once); limit 0.80",
                "  model fraud-score: us-east carries 3.0 in flight (120.0 calls/s)",
                "    eu-west      takes 100%  in flight 2.0 -> 5.0 of 20  utilisation 0.25",
                "  model fraud-score-lite: load unknown",
                "warning: no fresh load report names fraud-score-lite: the survivors' capacity was"
                    + " not checked for it",
                ""));
  }

  @Test
  void aRefusedDrainPrintsTheControllersNumbers() throws IOException {
    String why =
        "draining us-east would put eu-west at 1.35 of its capacity (27.0 in flight of 20) for"
            + " fraud-score; limit 0.80; use --force to drain anyway (needs role admin)";

    assertThat(
            drain(
                serve(
                    DrainRegionResponse.getDefaultInstance(),
                    Status.FAILED_PRECONDITION.withDescription(why)),
                "--dry-run"))
        .isEqualTo(PredictCommand.EXIT_CALL_FAILED);

    assertThat(err.toString()).contains(why);
  }

  @Test
  void aStandbysAnswerIsFollowedToTheLeaderItNames() throws IOException {
    String leader = serve(DrainRegionResponse.getDefaultInstance(), Status.OK);
    String standby = standby(Optional.of(leader));

    assertThat(drain(standby, "--dry-run")).isZero();

    assertThat(asked.get().getRegion()).isEqualTo("us-east");
    assertThat(err.toString())
        .isEqualTo("drain: " + standby + " is a standby; asking the leader, " + leader + "\n");
  }

  @Test
  void aStandbyNamingAnotherStandbyIsNotFollowedAgain() throws IOException {
    String second = standby(Optional.of("127.0.0.1:1"));
    String first = standby(Optional.of(second));

    assertThat(drain(first)).isEqualTo(PredictCommand.EXIT_CALL_FAILED);

    assertThat(asked.get()).isNull();
    assertThat(err.toString())
        .contains("asking the leader, " + second)
        .contains(
            "drain failed: UNAVAILABLE: this controller is a standby: the leader is 127.0.0.1:1");
  }

  @Test
  void duringAnElectionTheStandbysAnswerIsPrinted() throws IOException {
    String standby = standby(Optional.empty());

    assertThat(drain(standby)).isEqualTo(PredictCommand.EXIT_CALL_FAILED);

    assertThat(err.toString())
        .startsWith("drain failed: UNAVAILABLE: this controller is a standby: no controller leads");
  }
}
