package dev.meridian.deploy;

import static dev.meridian.deploy.TwoDatacenterConsul.EU;
import static dev.meridian.deploy.TwoDatacenterConsul.US;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.meridian.core.routing.RoutingTableJson;
import dev.meridian.deploy.backup.ControlPlaneBackup;
import dev.meridian.deploy.backup.Stamp;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.MeridianLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meridian backup} and {@code meridian restore} against real dev Consuls. */
class BackupRestoreTest {
  private static final String MODEL = "fraud-score";
  private static final String LITE = "fraud-score-lite";
  private static final String TABLE = MeridianLayout.routingTableKey(MODEL);
  private static final String LITE_TABLE = MeridianLayout.routingTableKey(LITE);

  @TempDir Path dir;
  private final TwoDatacenterConsul source = new TwoDatacenterConsul();
  private final TwoDatacenterConsul target = new TwoDatacenterConsul();
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @AfterEach
  void stop() {
    source.close();
    target.close();
  }

  @Test
  void aBackupRestoredIntoAnEmptyConsulPutsBackTablesDrainsAndTheEpochCounter() throws IOException {
    for (String datacenter : List.of(EU, US)) {
      source.put(datacenter, TABLE, table(MODEL, 12, 3));
      source.put(datacenter, LITE_TABLE, table(LITE, 4, 3));
      source.put(datacenter, MeridianLayout.DRAINS_KEY, drains(5, 3, "us-east"));
      source.put(datacenter, MeridianLayout.loadKey("gateway-" + datacenter), "{\"rps\": 10}");
    }
    source.put(EU, MeridianLayout.EPOCH_KEY, "3");
    source.put(EU, MeridianLayout.LEADER_KEY, "127.0.0.1:7400");
    Path file = dir.resolve("backup.json");

    assertThat(run("backup", "--consul", source.address(), "--out", file.toString()))
        .as(err.toString())
        .isZero();
    assertThat(out.toString())
        .contains("backup written to " + file)
        .contains("from eu-west, us-east; control datacenter eu-west")
        .contains("keys: 4")
        .contains("fraud-score (version 12, leader epoch 3)")
        .contains("drains: 1 (us-east); document version 5, leader epoch 3")
        .contains("highest leader epoch: 3 (counter 3)")
        .contains("age 0 s");
    assertThat(exportedKeys(file))
        .containsExactly(
            "meridian/backup/info",
            MeridianLayout.EPOCH_KEY,
            MeridianLayout.DRAINS_KEY,
            TABLE,
            LITE_TABLE);

    reset();
    assertThat(run("restore", "--consul", target.address(), "--in", file.toString()))
        .as(err.toString())
        .isZero();

    long epoch = counter(target);
    assertThat(epoch).as("the restore's own epoch, above the backup's").isGreaterThan(3);
    for (String datacenter : List.of(EU, US)) {
      assertThat(target.get(datacenter, TABLE)).contains(table(MODEL, 12, 3));
      assertThat(target.get(datacenter, LITE_TABLE)).contains(table(LITE, 4, 3));
      assertThat(target.get(datacenter, MeridianLayout.DRAINS_KEY))
          .as("the drains, under the restore's epoch so a running leader takes them over")
          .contains(drains(6, epoch, "us-east"));
      assertThat(target.get(datacenter, MeridianLayout.LEADER_KEY)).isEmpty();
      assertThat(target.get(datacenter, MeridianLayout.loadKey("gateway-" + datacenter))).isEmpty();
    }
    assertThat(target.get(US, MeridianLayout.EPOCH_KEY)).isEmpty();
    assertThat(out.toString())
        .contains("into an empty Consul")
        .contains("eu-west (control): 4 written")
        .contains("us-east: 3 written")
        .contains("WRITTEN meridian/controller/epoch (epoch " + epoch + ", taken by the restore)")
        .contains("WRITTEN meridian/routing/fraud-score (version 12, leader epoch 3)");
  }

  @Test
  void theNewestCopyOfEachKeyWinsAcrossDatacenters() {
    source.put(EU, TABLE, table(MODEL, 5, 2));
    source.put(US, TABLE, table(MODEL, 7, 2));
    source.put(EU, LITE_TABLE, table(LITE, 4, 3));
    source.put(US, LITE_TABLE, table(LITE, 4, 2));
    source.put(EU, MeridianLayout.DRAINS_KEY, drains(3, 2, "us-east"));
    source.put(US, MeridianLayout.DRAINS_KEY, drains(2, 2));
    source.put(EU, MeridianLayout.EPOCH_KEY, "3");
    source.put(US, MeridianLayout.EPOCH_KEY, "not a number");
    Path file = dir.resolve("backup.json");

    assertThat(run("backup", "--consul", source.address(), "--out", file.toString())).isZero();

    ControlPlaneBackup backup = ControlPlaneBackup.read(file);
    assertThat(backup.stamp(TABLE)).isEqualTo(new Stamp(7, 2));
    assertThat(backup.stamp(LITE_TABLE)).isEqualTo(new Stamp(4, 3));
    assertThat(backup.records().get(MeridianLayout.DRAINS_KEY)).isEqualTo(drains(3, 2, "us-east"));
    assertThat(backup.epochCounter()).hasValue(3);
    assertThat(backup.info().controlDatacenter()).contains(EU);
    assertThat(err.toString())
        .contains("left out meridian/controller/epoch in us-east: epoch counter 'not a number'");
  }

  @Test
  void aTargetThatIsNotEmptyIsRefusedAndLeftAlone() throws IOException {
    Path file = backupOf(table(MODEL, 12, 3), "3");
    target.put(US, TABLE, table(MODEL, 1, 1));

    int exit = run("restore", "--consul", target.address(), "--in", file.toString());

    assertThat(exit).isEqualTo(RestoreCommand.EXIT_NOT_EMPTY);
    assertThat(err.toString())
        .contains("refused: the target is not empty: us-east holds meridian/routing/fraud-score")
        .contains("--force");
    assertThat(target.get(EU, TABLE)).isEmpty();
    assertThat(target.get(EU, MeridianLayout.EPOCH_KEY)).isEmpty();
    assertThat(target.get(US, TABLE)).contains(table(MODEL, 1, 1));
  }

  @Test
  void withForceANewerCopyIsKeptAndAnOlderOneReplaced() throws IOException {
    Path file = backupOf(table(MODEL, 12, 3), "3");
    target.put(EU, TABLE, table(MODEL, 2, 1));
    target.put(US, TABLE, table(MODEL, 13, 3));

    int exit = run("restore", "--consul", target.address(), "--in", file.toString(), "--force");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(target.get(EU, TABLE)).contains(table(MODEL, 12, 3));
    assertThat(target.get(US, TABLE)).contains(table(MODEL, 13, 3));
    assertThat(out.toString())
        .contains(
            "KEPT meridian/routing/fraud-score (the copy there is newer: version 13, leader epoch"
                + " 3; the backup's: version 12, leader epoch 3)");
  }

  @Test
  void theRestoreTakesAnEpochAboveTheCounterAndEveryRestoredEpoch() throws IOException {
    Path behind = backupOf(table(MODEL, 12, 5), "3");
    Path file = backupOf(table(MODEL, 12, 7), "7");
    long ahead = Instant.now().getEpochSecond() + 3600;
    target.put(EU, MeridianLayout.EPOCH_KEY, Long.toString(ahead));

    assertThat(run("restore", "--consul", target.address(), "--in", file.toString(), "--force"))
        .isZero();
    assertThat(counter(target)).isEqualTo(ahead + 1);
    assertThat(out.toString()).contains("epoch " + (ahead + 1) + ", taken by the restore");

    try (TwoDatacenterConsul empty = new TwoDatacenterConsul()) {
      assertThat(run("restore", "--consul", empty.address(), "--in", behind.toString())).isZero();
      assertThat(counter(empty))
          .as("the counter said 3, a restored table was written by epoch 5, and time goes on")
          .isGreaterThan(5)
          .isGreaterThanOrEqualTo(Instant.now().getEpochSecond() - 60);
    }
  }

  private static long counter(TwoDatacenterConsul consul) {
    return Long.parseLong(consul.get(EU, MeridianLayout.EPOCH_KEY).orElseThrow());
  }

  @Test
  void aMalformedFileIsRefusedNamingTheFileAndTheEntry() throws IOException {
    Path file = backupOf(table(MODEL, 12, 3), "3");
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    String good = Files.readString(file);

    Files.writeString(file, good.replace(base64(table(MODEL, 12, 3)), "!!not base64"));
    assertRefused(file, "entry 3 (meridian/routing/fraud-score): value is not base64");

    Files.writeString(file, good.replace(base64(table(MODEL, 12, 3)), base64("{\"version\":")));
    assertRefused(file, "entry 3 (meridian/routing/fraud-score): not JSON");

    Files.writeString(file, good.replace(base64("3"), base64("-1")));
    assertRefused(file, "entry 2 (meridian/controller/epoch): epoch counter '-1'");

    Files.writeString(file, good.replace(TABLE, MeridianLayout.LEADER_KEY));
    assertRefused(file, "entry 3 (meridian/controller/leader): the leader lock is never backed up");

    Files.write(file, lines.subList(0, 3));
    assertRefused(file, "not JSON");
    assertThat(target.get(EU, MeridianLayout.EPOCH_KEY)).isEmpty();
  }

  @Test
  void aRolesConfigFileSaysHowToReachConsul() throws IOException {
    source.put(EU, TABLE, table(MODEL, 12, 3));
    Path config = dir.resolve("controller.yaml");
    String address = source.address();
    Files.writeString(
        config,
        "id: controller-0\nconsul: {host: 127.0.0.1, port: %s}\n"
            .formatted(address.substring(address.indexOf(':') + 1)));
    Path file = dir.resolve("backup.json");

    int exit = run("backup", "--consul-config", config.toString(), "--out", file.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(ControlPlaneBackup.read(file).models()).containsExactly(MODEL);
  }

  @Test
  void aConsulAddressWithoutAPortIsAUsageError() {
    int exit = run("backup", "--consul", "127.0.0.1", "--out", dir.resolve("b.json").toString());

    assertThat(exit).isEqualTo(MeridianCommand.EXIT_USAGE);
    assertThat(err.toString()).contains("--consul: '127.0.0.1' (expected: host:port");
    assertThat(dir.resolve("b.json")).doesNotExist();
  }

  private void assertRefused(Path file, String message) {
    reset();
    assertThat(run("restore", "--consul", target.address(), "--in", file.toString()))
        .isEqualTo(MeridianCommand.EXIT_USAGE);
    assertThat(err.toString()).contains(file.toString()).contains(message);
  }

  /** A backup of a source holding {@code table} in both datacenters and {@code epoch} in EU. */
  private Path backupOf(String table, String epoch) {
    try (TwoDatacenterConsul consul = new TwoDatacenterConsul()) {
      consul.put(EU, TABLE, table);
      consul.put(US, TABLE, table);
      consul.put(EU, MeridianLayout.EPOCH_KEY, epoch);
      Path file = dir.resolve("backup-" + epoch + "-" + table.hashCode() + ".json");
      assertThat(run("backup", "--consul", consul.address(), "--out", file.toString())).isZero();
      reset();
      return file;
    }
  }

  private int run(String... args) {
    CommandLine commandLine = MeridianCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private void reset() {
    out = new StringWriter();
    err = new StringWriter();
  }

  private static List<String> exportedKeys(Path file) throws IOException {
    List<String> keys = new ArrayList<>();
    for (JsonElement entry : JsonParser.parseString(Files.readString(file)).getAsJsonArray()) {
      assertThat(entry.getAsJsonObject().keySet()).containsExactly("key", "flags", "value");
      assertThat(entry.getAsJsonObject().get("flags").getAsLong()).isZero();
      keys.add(entry.getAsJsonObject().get("key").getAsString());
    }
    return keys;
  }

  private static String table(String model, long version, long epoch) {
    return RoutingTableJson.encode(
        RoutingTable.newBuilder()
            .setModelName(model)
            .setVersion(version)
            .setLeaderEpoch(epoch)
            .setComputedBy("controller-0")
            .build());
  }

  private static String drains(long version, long epoch, String... regions) {
    StringBuilder drains = new StringBuilder();
    for (String region : regions) {
      drains
          .append(drains.isEmpty() ? "" : ",")
          .append(
              "{\"region\":\"%s\",\"who\":\"alice\",\"reason\":\"kernel upgrade\",\"startedAt\":\"2026-12-01T17:00:00Z\"}"
                  .formatted(region));
    }
    return "{\"version\":%d,\"leaderEpoch\":%d,\"drains\":[%s]}".formatted(version, epoch, drains);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
