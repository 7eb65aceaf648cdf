package dev.meridian.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.config.ConfigException;
import dev.meridian.core.testing.FakeTicker;
import dev.meridian.core.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operators file: reading it, finding operators in it, and rereading it when it changes. */
class OperatorDirectoryTest {
  @TempDir Path directory;
  private final FakeTicker ticker = new FakeTicker();

  private Path file() throws IOException {
    return TestOperators.write(directory.resolve("operators.yaml"));
  }

  /** Replaces the file's contents, with a modification time of its own. */
  private static void rewrite(Path file, String yaml, int second) throws IOException {
    Files.writeString(file, yaml);
    Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1_800_000_000L + second)));
  }

  @Test
  void findsOperatorsByTokenAndByCertificate() throws IOException {
    OperatorDirectory operators = OperatorDirectory.watching(file(), ticker);

    assertThat(operators.byToken(TestOperators.ADMIN_TOKEN))
        .hasValueSatisfying(
            admin -> {
              assertThat(admin.name()).isEqualTo("ada");
              assertThat(admin.role()).isEqualTo(Role.ADMIN);
            });
    assertThat(operators.byToken(TestOperators.ADMIN_TOKEN)).as("cached").isPresent();
    assertThat(operators.byToken("nobody's")).isEmpty();
    assertThat(operators.byCertificate(TestOperators.CI_CN).map(Operator::name)).hasValue("ci-bot");
    assertThat(operators.byCertificate("someone.else")).isEmpty();
  }

  @Test
  void rereadsTheFileWhenItChangesAndForgetsTokensVerifiedBefore() throws IOException {
    Path file = file();
    OperatorDirectory operators = OperatorDirectory.watching(file, ticker);
    assertThat(operators.byToken(TestOperators.OPERATOR_TOKEN)).isPresent();

    rewrite(file, "operators:\n" + TestOperators.entry("neo", "viewer", "new-token"), 1);

    assertThat(operators.byToken("new-token").map(Operator::name)).hasValue("neo");
    assertThat(operators.byToken(TestOperators.OPERATOR_TOKEN))
        .as("removed, though cached")
        .isEmpty();
  }

  @Test
  void keepsThePreviousVersionWhenTheNewOneIsBad() throws IOException {
    Path file = file();
    OperatorDirectory operators = OperatorDirectory.watching(file, ticker);

    try (LogCapture log = LogCapture.of(OperatorDirectory.class)) {
      rewrite(file, "operators:\n" + TestOperators.entry("x", "root", "t"), 1);

      assertThat(operators.byToken(TestOperators.VIEWER_TOKEN)).isPresent();
      assertThat(operators.byToken(TestOperators.VIEWER_TOKEN)).isPresent();
      assertThat(log.lines())
          .singleElement()
          .satisfies(
              line -> {
                assertThat(line.level()).isEqualTo("WARN");
                assertThat(line.message()).contains("keeping the previous version");
                assertThat(line.fields()).containsEntry("file", file.toString());
                assertThat(line.fields().get("reason"))
                    .asString()
                    .contains("operators.yaml: operators[0].role: 'root'");
              });
    }
  }

  @Test
  void refusesUnknownKeysAndBadEntriesNamingFileAndKey() throws IOException {
    Path file = directory.resolve("operators.yaml");
    String hash = TestOperators.hash("t");

    rewrite(
        file, "operators:\n  - {name: a, role: admin, token-hash: '" + hash + "', tokn: x}\n", 1);
    assertThatThrownBy(() -> OperatorsFile.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("operators.yaml: operators[0].tokn: unknown key");
    rewrite(file, "operators:\n  - {name: a, role: admin, token-hash: 'plain'}\n", 2);
    assertThatThrownBy(() -> OperatorsFile.load(file))
        .hasMessageStartingWith("operators.yaml: operators[0].token-hash: '<hidden>' (expected:");
    rewrite(file, "operators:\n  - {name: a, role: admin}\n", 3);
    assertThatThrownBy(() -> OperatorsFile.load(file))
        .hasMessage(
            "operators.yaml: operators[0].token-hash: null"
                + " (expected: exactly one of token-hash and certificate-cn)");
    rewrite(
        file,
        "operators:\n"
            + TestOperators.entry("a", "admin", "t")
            + TestOperators.entry("a", "viewer", "u"),
        4);
    assertThatThrownBy(() -> OperatorsFile.load(file))
        .hasMessage("operators.yaml: operator a: listed twice");
  }
}
