package dev.meridian.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log's hash chain, across rotations and restarts, and its check. */
class AuditChainTest {
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.parse("2026-01-02T03:04:05Z"));

  @TempDir Path directory;

  private Path log() {
    return directory.resolve("admin-audit.jsonl");
  }

  private void write(long maxFileBytes, int calls) throws IOException {
    try (AuditLog audit = AuditLog.open(log(), (int) maxFileBytes, 3, CLOCK)) {
      for (int i = 0; i < calls; i++) {
        String call = AuditLog.newCallId();
        audit.attempt(call, "operator:otto@/10.0.0.1:1", "Drain", "{\"region\":\"r" + i + "\"}");
        audit.result(call, "operator:otto@/10.0.0.1:1", "Drain", Status.OK);
      }
    }
  }

  private static void editLines(Path file, java.util.function.Consumer<List<String>> edit)
      throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    edit.accept(lines);
    Files.write(file, lines);
  }

  @Test
  void anIntactLogVerifiesFromGenesisAcrossRestarts() throws IOException {
    write(1 << 20, 2);
    write(1 << 20, 1);

    AuditChain.Report report = AuditChain.verify(log());

    assertThat(report.broken()).isEmpty();
    assertThat(report.lines()).isEqualTo(6);
    assertThat(Files.readAllLines(log()).get(0))
        .contains("\"prev\":\"" + AuditChain.GENESIS + "\"");
  }

  @Test
  void aSecondWriterIsRefused() throws IOException {
    AuditLog first = AuditLog.open(log(), 1 << 20, 3, CLOCK);
    try {
      assertThatThrownBy(() -> AuditLog.open(log(), 1 << 20, 3, CLOCK))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot lock the audit log");
    } finally {
      first.close();
    }
  }

  @Test
  void aRotatedFileCheckedAloneIsTakenFromItsFirstLine() throws IOException {
    write(4096, 40);

    assertThat(AuditChain.verify(AuditFiles.rotated(log(), 2)).broken()).isEmpty();
  }

  @Test
  void aDeletedLineBreaksTheChainAtTheLineAfterIt() throws IOException {
    write(1 << 20, 3);
    editLines(log(), lines -> lines.remove(2));

    assertThat(AuditChain.verify(log()).broken())
        .hasValueSatisfying(
            broken -> {
              assertThat(broken.file()).isEqualTo(log());
              assertThat(broken.line()).isEqualTo(3);
              assertThat(broken.toString())
                  .contains("admin-audit.jsonl:3: does not chain from line 2");
            });
  }

  @Test
  void aDeletedFirstLineShows() throws IOException {
    write(1 << 20, 1);
    editLines(log(), lines -> lines.remove(0));

    assertThat(AuditChain.verify(log()).broken())
        .hasValueSatisfying(
            broken -> {
              assertThat(broken.line()).isEqualTo(1);
              assertThat(broken.why()).contains("start of the log");
            });
  }

  @Test
  void anEditedLineBreaksTheChainAtTheLineAfterIt() throws IOException {
    write(1 << 20, 3);
    editLines(log(), lines -> lines.set(1, lines.get(1).replace("\"OK\"", "\"NOT_FOUND\"")));

    assertThat(AuditChain.verify(log()).broken().map(AuditChain.Break::line)).hasValue(3L);
  }

  @Test
  void rotationKeepsTheChainAndTheCheckWalksTheFilesOldestFirst() throws IOException {
    write(4096, 40);
    assertThat(AuditFiles.rotated(log(), 3)).exists();
    assertThat(AuditFiles.rotated(log(), 4)).as("only 3 rotated files kept").doesNotExist();
    assertThat(Files.size(AuditFiles.rotated(log(), 1))).isLessThanOrEqualTo(4096);

    AuditChain.Report report = AuditChain.verify(directory);

    assertThat(report.broken()).isEmpty();
    assertThat(report.files())
        .containsExactly(
            AuditFiles.rotated(log(), 3),
            AuditFiles.rotated(log(), 2),
            AuditFiles.rotated(log(), 1),
            log());
  }

  @Test
  void aLineDeletedAtARotationShows() throws IOException {
    write(4096, 40);
    editLines(AuditFiles.rotated(log(), 1), lines -> lines.remove(lines.size() - 1));

    assertThat(AuditChain.verify(log()).broken())
        .hasValueSatisfying(
            broken -> {
              assertThat(broken.file()).isEqualTo(log());
              assertThat(broken.line()).isEqualTo(1);
              assertThat(broken.why()).contains("end of the file before it");
            });
  }
}
