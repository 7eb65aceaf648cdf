package dev.meridian.controller.admin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin audit log: one JSON object per line, appended and forced to disk before the call it
 * records may take effect. Each call gets an {@code attempt} line (who, what, the request) before
 * it runs and a {@code result} line (the status) after. Thread-safe: writes are serialised on this
 * object so lines never interleave.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(AuditLog.class.getName());

  private final Path file;
  private final InstantSource clock;
  // Guarded by this.
  private final FileChannel channel;

  private AuditLog(Path file, InstantSource clock, FileChannel channel) {
    this.file = file;
    this.clock = clock;
    this.channel = channel;
  }

  /**
   * Opens (creating if needed) the log for appending.
   *
   * @throws IOException when the file cannot be opened
   */
  public static AuditLog open(Path file, InstantSource clock) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new AuditLog(
        file,
        clock,
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
  }

  /**
   * Records that {@code who} asks for {@code action}, before it happens.
   *
   * @param requestJson the request as JSON
   * @throws IOException when the line cannot be written: the action must not go ahead
   */
  public void attempt(String who, String action, String requestJson) throws IOException {
    JsonObject line = line(who, action, "attempt");
    line.add("request", JsonParser.parseString(requestJson));
    append(line);
  }

  /** Records how {@code action} ended; a failure to write is logged, the call's outcome stands. */
  public void result(String who, String action, Status status) {
    JsonObject line = line(who, action, "result");
    line.addProperty("result", status.getCode().name());
    if (status.getDescription() != null) {
      line.addProperty("detail", status.getDescription());
    }
    try {
      append(line);
    } catch (IOException e) {
      logger.log(Level.SEVERE, "audit log " + file + ": cannot record " + line, e);
    }
  }

  private JsonObject line(String who, String action, String phase) {
    JsonObject line = new JsonObject();
    line.addProperty("time", clock.instant().toString());
    line.addProperty("who", who);
    line.addProperty("action", action);
    line.addProperty("phase", phase);
    return line;
  }

  private synchronized void append(JsonObject line) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    channel.force(false);
  }

  /** Closes the file. */
  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
