package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.model.LinearModel;
import dev.meridian.agent.model.ModelType;
import dev.meridian.agent.replica.ReplicaIdentity;
import dev.meridian.agent.replica.ReplicaServer;
import dev.meridian.agent.replica.ServedModel;
import dev.meridian.controller.admin.AuditLog;
import dev.meridian.controller.admin.TokenHash;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code meridian} command as a user runs it: real calls, real config files. */
class CommandLineTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private ReplicaServer replica;

  @AfterEach
  void stop() {
    if (replica != null) {
      replica.close();
    }
  }

  private int run(String... args) {
    CommandLine commandLine = MeridianCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private String startReplica() {
    LinearModel doubler =
        new LinearModel(
            "doubler",
            "3",
            LinearModel.Activation.IDENTITY,
            "x",
            "y",
            new float[][] {{2f, 0f}},
            new float[] {0.5f});
    replica =
        ReplicaServer.builder(new ReplicaIdentity("eu-west", "eu-west-doubler-0"))
            .model(ServedModel.primary(ModelType.BUILTIN, doubler))
            .port(0)
            .start();
    return "127.0.0.1:" + replica.port();
  }

  @Test
  void predictPrintsRealOutputsAndWhoAnswered() {
    String target = startReplica();

    int exit = run("predict", "--target", target, "--model", "doubler", "--input", "x=1.5,9");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("y FP32[1, 1] = [3.5]")
        .contains("region=eu-west replica=eu-west-doubler-0")
        .contains("version=3");
  }

  @Test
  void predictReportsAFailedCallsStatusAndDescription() {
    String target = startReplica();

    assertThat(run("predict", "--target", target, "--model", "nope", "--input", "x=1,2"))
        .isEqualTo(PredictCommand.EXIT_CALL_FAILED);
    assertThat(err.toString()).contains("predict failed: NOT_FOUND: model 'nope'");
    assertThat(run("predict", "--target", target, "--model", "doubler", "--input", "x=1"))
        .isEqualTo(PredictCommand.EXIT_CALL_FAILED);
    assertThat(err.toString()).contains("INVALID_ARGUMENT: input 'x' has shape [1, 1]");
  }

  @Test
  void badConfigFilesStopStartUpNamingTheKey() throws IOException {
    Path gateway = dir.resolve("gateway.yaml");
    Files.writeString(gateway, "region: eu-west\nlisten: {port: 70000}\n");
    Path agent = dir.resolve("agent.yaml");
    Files.writeString(agent, "region: eu-west\nprobe: {intervall: 1s}\n");

    assertThat(run("gateway", "--config", gateway.toString()))
        .isEqualTo(MeridianCommand.EXIT_USAGE);
    assertThat(run("region-agent", "--config", agent.toString()))
        .isEqualTo(MeridianCommand.EXIT_USAGE);

    assertThat(err.toString().lines().toList())
        .anySatisfy(line -> assertThat(line).contains("gateway.yaml: listen.port: 70000"))
        .anySatisfy(line -> assertThat(line).contains("probe.intervall: unknown key"));
  }

  @Test
  void everySubcommandExplainsItselfWithHelp() {
    assertThat(run("drain", "--help")).isZero();
    assertThat(out.toString()).contains("--region").contains("--timeout");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void everyRoleHasASubcommand() {
    assertThat(MeridianCommand.commandLine().getSubcommands().keySet())
        .containsAll(
            List.of(
                "demo",
                "predict",
                "bench",
                "drain",
                "gateway",
                "controller",
                "region-agent",
                "dev-consul",
                "operators",
                "audit"));
  }

  @Test
  void hashTokenReadsTheTokenFromStandardInputAndPrintsItsStoredForm() {
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("s3cret\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(run("operators", "hash-token")).isZero();
    } finally {
      System.setIn(stdin);
    }

    assertThat(out.toString()).startsWith("pbkdf2-sha256$210000$").doesNotContain("s3cret");
    assertThat(TokenHash.parse(out.toString().trim()).orElseThrow().matches("s3cret")).isTrue();
  }

  @Test
  void auditVerifyExitsZeroForAnIntactLogAndOneNamingTheLineThatBreaksIt() throws IOException {
    Path log = dir.resolve("admin-audit.jsonl");
    try (AuditLog audit = AuditLog.open(log, 1 << 20, 3, InstantSource.system())) {
      for (String region : List.of("eu-west", "us-east")) {
        String call = AuditLog.newCallId();
        audit.attempt(
            call, "operator:otto@/10.0.0.1:1", "Drain", "{\"region\":\"" + region + "\"}");
        audit.result(call, "operator:otto@/10.0.0.1:1", "Drain", Status.OK);
      }
    }
    assertThat(run("audit", "verify", dir.toString())).isZero();
    assertThat(out.toString()).startsWith("intact: 4 lines in 1 file(s)");

    List<String> lines = Files.readAllLines(log);
    Files.write(log, List.of(lines.get(0), lines.get(2), lines.get(3)));

    assertThat(run("audit", "verify", log.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("broken: " + log + ":2: does not chain from line 1");
  }

  @Test
  void drainNamesAnUnreadableTokenFile() {
    assertThat(
            run(
                "drain",
                "--region",
                "eu-west",
                "--reason",
                "x",
                "--token-file",
                dir.resolve("missing").toString()))
        .isEqualTo(MeridianCommand.EXIT_USAGE);
    assertThat(err.toString()).contains("--token-file: cannot read " + dir.resolve("missing"));
  }

  @Test
  void aGameDayThatCannotReachConsulSaysSoInOneLine() throws IOException {
    Path token = Files.writeString(dir.resolve("faults-token"), "t0ken\n");

    assertThat(
            run(
                "gameday",
                "--scenario",
                "fail-replicas",
                "--plaintext",
                "--consul",
                "127.0.0.1:1",
                "--faults-token-file",
                token.toString()))
        .isEqualTo(MeridianCommand.EXIT_FAILED);
    assertThat(err.toString())
        .contains("gameday failed: health meridian-replica in eu-west: Consul unreachable")
        .doesNotContain("\tat ");
  }
}
