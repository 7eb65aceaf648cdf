package dev.meridian.controller.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How an audit log's files are named: the live file ({@code admin-audit.jsonl}) and, once it has
 * rotated, {@code admin-audit.jsonl.1} (the most recent rotated file) to {@code .N} (the oldest).
 * Stateless.
 */
final class AuditFiles {
  private static final Pattern ROTATED = Pattern.compile(".*\\.[0-9]+");

  private AuditFiles() {}

  /** The {@code index}th rotated file of {@code live}; 0 is the live file itself. */
  static Path rotated(Path live, int index) {
    return index == 0 ? live : live.resolveSibling(live.getFileName() + "." + index);
  }

  /** The existing files of the log whose live file is {@code live}, oldest first. */
  static List<Path> oldestFirst(Path live) {
    List<Path> files = new ArrayList<>();
    for (int index = 1; Files.exists(rotated(live, index)); index++) {
      files.add(0, rotated(live, index));
    }
    if (Files.exists(live)) {
      files.add(live);
    }
    return files;
  }

  /** Whether {@code file} is named as a rotated file, {@code <live>.N}. */
  static boolean isRotated(Path file) {
    return ROTATED.matcher(file.getFileName().toString()).matches();
  }

  /** The live files in {@code directory}: the {@code *.jsonl} files, by name. */
  static List<Path> liveFilesIn(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(Files::isRegularFile)
          .filter(file -> file.getFileName().toString().endsWith(".jsonl"))
          .sorted()
          .toList();
    }
  }
}
