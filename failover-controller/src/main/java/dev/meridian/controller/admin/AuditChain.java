package dev.meridian.controller.admin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The hash chain of the audit log, and its check. Every line's {@code prev} is the hex SHA-256 of
 * the bytes of the line before it (without its newline); the log's first line chains from {@link
 * #GENESIS}, and the first line of a file after a rotation from the last line of the file before.
 * Deleting or editing a line breaks the chain at the line after it (deleting the very last line
 * does not show). The first line of the oldest file kept may chain from a file rotation deleted, so
 * it is taken as it is when that file is a rotated one. Stateless.
 */
public final class AuditChain {
  /** The key of the chain's field. */
  public static final String PREV = "prev";

  /** What the log's first line chains from. */
  public static final String GENESIS = "0".repeat(64);

  /**
   * Where the chain breaks.
   *
   * @param file the file holding the line
   * @param line the line's number in it, from 1
   * @param why what is wrong
   */
  public record Break(Path file, long line, String why) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + why;
    }
  }

  /**
   * What a check found.
   *
   * @param files the files checked, oldest first
   * @param lines the lines checked
   * @param broken the first break, if any
   */
  public record Report(List<Path> files, long lines, Optional<Break> broken) {}

  private AuditChain() {}

  /** The hex SHA-256 of {@code length} bytes of {@code bytes} from {@code offset}. */
  static String hash(byte[] bytes, int offset, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes, offset, length);
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Checks the log whose file is {@code path} (with its rotated files, {@code path.1} and on), or
   * every log ({@code *.jsonl}) in the directory {@code path}.
   *
   * @throws IOException when a file cannot be read
   */
  public static Report verify(Path path) throws IOException {
    List<Path> lives = Files.isDirectory(path) ? AuditFiles.liveFilesIn(path) : List.of(path);
    List<Path> checked = new ArrayList<>();
    long lines = 0;
    for (Path live : lives) {
      List<Path> files = AuditFiles.oldestFirst(live);
      if (files.isEmpty()) {
        throw new IOException(live + ": no such audit file");
      }
      // A rotated oldest file may chain from one rotation deleted; the log's first line must not.
      String previous = AuditFiles.isRotated(files.get(0)) ? null : GENESIS;
      for (Path file : files) {
        checked.add(file);
        Chained chained = verifyFile(file, previous);
        lines += chained.lines();
        if (chained.broken().isPresent()) {
          return new Report(checked, lines, chained.broken());
        }
        previous = chained.last();
      }
    }
    return new Report(checked, lines, Optional.empty());
  }

  /** One file's check: its lines, its last line's hash, or where it breaks. */
  private record Chained(long lines, String last, Optional<Break> broken) {}

  /** Checks {@code file}, whose first line chains from {@code previous} (any when null). */
  private static Chained verifyFile(Path file, String previous) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    long number = 0;
    int start = 0;
    while (start < bytes.length) {
      number++;
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      if (end == bytes.length) {
        return broken(file, number, previous, "the line is incomplete (no newline)");
      }
      Optional<String> prev = prevOf(new String(bytes, start, end - start, StandardCharsets.UTF_8));
      if (prev.isEmpty()) {
        return broken(file, number, previous, "not a JSON object with a '" + PREV + "' string");
      }
      if (previous != null && !prev.get().equals(previous)) {
        return broken(
            file,
            number,
            previous,
            number > 1
                ? "does not chain from line "
                    + (number - 1)
                    + " (that line was edited, or lines between were deleted)"
                : previous.equals(GENESIS)
                    ? "does not chain from the start of the log (lines before it were deleted)"
                    : "does not chain from the end of the file before it (a line is missing"
                        + " or edited)");
      }
      previous = hash(bytes, start, end - start);
      start = end + 1;
    }
    return new Chained(number, previous, Optional.empty());
  }

  private static Chained broken(Path file, long number, String previous, String why) {
    return new Chained(number, previous, Optional.of(new Break(file, number, why)));
  }

  private static Optional<String> prevOf(String line) {
    try {
      JsonElement parsed = JsonParser.parseString(line);
      if (parsed.isJsonObject()) {
        JsonObject object = parsed.getAsJsonObject();
        JsonElement prev = object.get(PREV);
        if (prev != null && prev.isJsonPrimitive() && prev.getAsJsonPrimitive().isString()) {
          return Optional.of(prev.getAsString());
        }
      }
    } catch (JsonParseException e) {
      // Reported as a line that is not a JSON object.
    }
    return Optional.empty();
  }
}
