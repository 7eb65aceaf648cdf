package dev.meridian.controller.admin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin audit log: one JSON object per line, appended and forced to disk before the call it
 * records may take effect. Each call gets an {@code attempt} line (who, what, the request) before
 * it runs and a {@code result} line (the status) after, both with the call's id ({@code call}).
 * Every line carries {@code prev}, the SHA-256 of the line before it ({@link AuditChain}), so a
 * deleted or edited line shows. When a line would take the file past {@code maxFileBytes} the file
 * rotates ({@link AuditFiles}; the oldest beyond {@code keepFiles} is deleted) and the chain goes
 * on in the new file. Thread-safe: writes are serialised on this object so lines never interleave.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(AuditLog.class);

  private final Path file;
  private final long maxFileBytes;
  private final int keepFiles;
  private final InstantSource clock;
  // Guarded by this.
  private FileChannel channel;
  private long size;
  private String previous;

  private AuditLog(
      Path file, long maxFileBytes, int keepFiles, InstantSource clock, String previous)
      throws IOException {
    this.file = file;
    this.maxFileBytes = maxFileBytes;
    this.keepFiles = keepFiles;
    this.clock = clock;
    this.previous = previous;
    this.channel = openLive(file);
    this.size = channel.size();
  }

  /**
   * Opens (creating if needed) the log for appending; the chain goes on from its last line.
   *
   * @param maxFileBytes the size past which the file rotates
   * @param keepFiles how many rotated files are kept
   * @throws IOException when the file cannot be opened
   */
  public static AuditLog open(Path file, long maxFileBytes, int keepFiles, InstantSource clock)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new AuditLog(file, maxFileBytes, keepFiles, clock, lastHash(file));
  }

  /** A fresh id for a call's lines. */
  public static String newCallId() {
    return UUID.randomUUID().toString();
  }

  /**
   * Records that {@code who} asks for {@code action}, before it happens.
   *
   * @param requestJson the request as JSON
   * @throws IOException when the line cannot be written: the action must not go ahead
   */
  public void attempt(String call, String who, String action, String requestJson)
      throws IOException {
    JsonObject line = line(who, "attempt");
    line.addProperty("call", call);
    line.addProperty("action", action);
    line.add("request", JsonParser.parseString(requestJson));
    append(line);
  }

  /** Records how {@code action} ended; a failure to write is logged, the call's outcome stands. */
  public void result(String call, String who, String action, Status status) {
    JsonObject line = line(who, "result");
    line.addProperty("call", call);
    line.addProperty("action", action);
    line.addProperty("result", status.getCode().name());
    if (status.getDescription() != null) {
      line.addProperty("detail", status.getDescription());
    }
    appendOrLog(line);
  }

  /** Records that {@code refused} calls of {@code who} were refused unaudited, rate-limited. */
  public void limited(String who, long refused) {
    JsonObject line = line(who, "limited");
    line.addProperty("refused", refused);
    appendOrLog(line);
  }

  private JsonObject line(String who, String phase) {
    JsonObject line = new JsonObject();
    line.addProperty("time", clock.instant().toString());
    line.addProperty("who", who);
    line.addProperty("phase", phase);
    return line;
  }

  private void appendOrLog(JsonObject line) {
    try {
      append(line);
    } catch (IOException e) {
      logger
          .atError()
          .addKeyValue("file", String.valueOf(file))
          .addKeyValue("record", String.valueOf(line))
          .setCause(e)
          .log("audit log cannot record");
    }
  }

  private synchronized void append(JsonObject line) throws IOException {
    line.addProperty(AuditChain.PREV, previous);
    byte[] text = line.toString().getBytes(StandardCharsets.UTF_8);
    if (size > 0 && size + text.length + 1 > maxFileBytes) {
      rotate();
    }
    ByteBuffer bytes = ByteBuffer.allocate(text.length + 1).put(text).put((byte) '\n').flip();
    while (bytes.hasRemaining()) {
      size += channel.write(bytes);
    }
    channel.force(false);
    previous = AuditChain.hash(text, 0, text.length);
  }

  private void rotate() throws IOException {
    channel.close();
    Files.deleteIfExists(AuditFiles.rotated(file, keepFiles));
    for (int index = keepFiles - 1; index >= 0; index--) {
      Path from = AuditFiles.rotated(file, index);
      if (Files.exists(from)) {
        Files.move(from, AuditFiles.rotated(file, index + 1), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    channel = openLive(file);
    size = 0;
  }

  /** Opens the live file, locked: a second writer would interleave its chain with ours. */
  private static FileChannel openLive(Path file) throws IOException {
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      channel.close();
      throw new IOException(file + ": cannot lock the audit log (" + e + ")", e);
    }
    if (lock == null) {
      channel.close();
      throw new IOException(file + ": another process writes this audit log");
    }
    return channel;
  }

  /** The hash of the log's last line, in the live file or else the latest rotated one. */
  private static String lastHash(Path file) throws IOException {
    List<Path> files = AuditFiles.oldestFirst(file);
    for (int index = files.size() - 1; index >= 0; index--) {
      byte[] bytes = Files.readAllBytes(files.get(index));
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] == '\n') {
        end--;
      }
      if (end > 0) {
        int start = end;
        while (start > 0 && bytes[start - 1] != '\n') {
          start--;
        }
        return AuditChain.hash(bytes, start, end - start);
      }
    }
    return AuditChain.GENESIS;
  }

  /** Closes the file. */
  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
