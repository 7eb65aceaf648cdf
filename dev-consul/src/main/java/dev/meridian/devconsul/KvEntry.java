package dev.meridian.devconsul;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/** One stored key with its value, lock holder and indexes. Immutable; the value is copied. */
final class KvEntry {
  private final String key;
  private final byte[] value;
  private final long flags;
  private final String session;
  private final long lockIndex;
  private final long createIndex;
  private final long modifyIndex;

  KvEntry(
      String key,
      byte[] value,
      long flags,
      String session,
      long lockIndex,
      long createIndex,
      long modifyIndex) {
    this.key = key;
    this.value = value.clone();
    this.flags = flags;
    this.session = session;
    this.lockIndex = lockIndex;
    this.createIndex = createIndex;
    this.modifyIndex = modifyIndex;
  }

  String key() {
    return key;
  }

  byte[] value() {
    return value.clone();
  }

  long flags() {
    return flags;
  }

  /** The session holding the lock, or null when unlocked. */
  String session() {
    return session;
  }

  long lockIndex() {
    return lockIndex;
  }

  long createIndex() {
    return createIndex;
  }

  long modifyIndex() {
    return modifyIndex;
  }

  /** True when a write would change nothing, in which case Consul keeps the ModifyIndex. */
  boolean sameContent(byte[] otherValue, long otherFlags, String otherSession, long otherLock) {
    return Arrays.equals(value, otherValue)
        && flags == otherFlags
        && Objects.equals(session, otherSession)
        && lockIndex == otherLock;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("LockIndex", lockIndex);
    json.addProperty("Key", key);
    // Flags is a uint64 on the wire; BigInteger keeps values above Long.MAX_VALUE unsigned.
    json.addProperty("Flags", new BigInteger(Long.toUnsignedString(flags)));
    json.addProperty("Value", value.length == 0 ? null : Base64.getEncoder().encodeToString(value));
    if (session != null) {
      json.addProperty("Session", session);
    }
    json.addProperty("CreateIndex", createIndex);
    json.addProperty("ModifyIndex", modifyIndex);
    return json;
  }
}
