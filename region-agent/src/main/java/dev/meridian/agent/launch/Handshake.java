package dev.meridian.agent.launch;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.util.Optional;

/**
 * The lines a child replica writes on its standard output to tell the agent how its start went:
 * {@code MERIDIAN-REPLICA-READY <json>} once it serves, or {@code MERIDIAN-REPLICA-FAILED <reason>}
 * before it exits when it cannot. Every other line is ordinary output.
 */
final class Handshake {
  static final String READY = "MERIDIAN-REPLICA-READY ";
  static final String FAILED = "MERIDIAN-REPLICA-FAILED ";

  private static final Gson GSON = new Gson();

  private Handshake() {}

  static String ready(ReplicaReady ready) {
    return READY + GSON.toJson(ready);
  }

  static String failed(String reason) {
    // One line, so a multi-line reason cannot be cut short by the reader.
    return FAILED + reason.replace('\n', ' ');
  }

  /** The report in a READY line, if {@code line} is one. */
  static Optional<ReplicaReady> parseReady(String line) {
    if (!line.startsWith(READY)) {
      return Optional.empty();
    }
    try {
      return Optional.of(GSON.fromJson(line.substring(READY.length()), ReplicaReady.class));
    } catch (JsonParseException e) {
      throw new IllegalStateException("malformed handshake from replica: " + line, e);
    }
  }

  /** The reason in a FAILED line, if {@code line} is one. */
  static Optional<String> parseFailed(String line) {
    return line.startsWith(FAILED)
        ? Optional.of(line.substring(FAILED.length()))
        : Optional.empty();
  }
}
