package dev.meridian.deploy.backup;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.Comparator;

/**
 * The version and leader epoch a routing table or the drains document carries (the protobuf JSON
 * mapping leaves out zeros and may write them as decimal strings), which say which of two copies is
 * newer.
 *
 * @param version the record's version
 * @param leaderEpoch the epoch of the leader that wrote it
 */
public record Stamp(long version, long leaderEpoch) {
  /** Across datacenters the newest copy is the one with the highest version, then epoch. */
  public static final Comparator<Stamp> NEWEST =
      Comparator.comparingLong(Stamp::version).thenComparingLong(Stamp::leaderEpoch);

  /**
   * Reads the stamp of a record.
   *
   * @param source where the JSON came from, named in the error
   * @throws IllegalArgumentException when {@code json} is not an object whose {@code version} and
   *     {@code leaderEpoch}, where present, are non-negative integers
   */
  public static Stamp of(String json, String source) {
    JsonElement root;
    try {
      root = JsonParser.parseString(json);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage(), e);
    }
    if (!root.isJsonObject()) {
      throw new IllegalArgumentException(source + ": expected a JSON object, got " + json);
    }
    JsonObject object = root.getAsJsonObject();
    return new Stamp(number(source, object, "version"), number(source, object, "leaderEpoch"));
  }

  /** Whether this copy is newer than {@code other} in either its version or its epoch. */
  public boolean newerInAnyWay(Stamp other) {
    return version > other.version || leaderEpoch > other.leaderEpoch;
  }

  /** For people: {@code version 12, leader epoch 3}. */
  @Override
  public String toString() {
    return "version " + version + ", leader epoch " + leaderEpoch;
  }

  private static long number(String source, JsonObject object, String field) {
    JsonElement value = object.get(field);
    if (value == null) {
      return 0;
    }
    try {
      long number = Long.parseLong(value.getAsString());
      if (number >= 0) {
        return number;
      }
    } catch (RuntimeException e) {
      // reported below, with the value
    }
    throw new IllegalArgumentException(
        source + ": " + field + ": " + value + " (expected: a non-negative integer)");
  }
}
