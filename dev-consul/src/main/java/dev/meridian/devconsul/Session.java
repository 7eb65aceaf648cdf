package dev.meridian.devconsul;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * A session: its lock-delay, behaviour, TTL and the checks whose failure ends it. Sessions never
 * change after creation (renewal only moves a timer), so ModifyIndex equals CreateIndex. Immutable.
 *
 * @param ttl the TTL as the client wrote it ({@code ""} for none), echoed back verbatim
 * @param ttlDuration the parsed TTL, {@link Duration#ZERO} for none
 */
record Session(
    String id,
    String name,
    String node,
    Duration lockDelay,
    SessionBehavior behavior,
    String ttl,
    Duration ttlDuration,
    List<String> nodeChecks,
    List<String> serviceChecks,
    long createIndex) {

  Session {
    nodeChecks = List.copyOf(nodeChecks);
    serviceChecks = List.copyOf(serviceChecks);
  }

  Session withIdentity(String newId, long index) {
    return new Session(
        newId, name, node, lockDelay, behavior, ttl, ttlDuration, nodeChecks, serviceChecks, index);
  }

  boolean linkedTo(String checkId) {
    return nodeChecks.contains(checkId) || serviceChecks.contains(checkId);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("ID", id);
    json.addProperty("Name", name);
    json.addProperty("Node", node);
    json.addProperty("LockDelay", lockDelay.toNanos());
    json.addProperty("Behavior", behavior.wire());
    json.addProperty("TTL", ttl);
    json.add("NodeChecks", nodeChecks.isEmpty() ? JsonNull.INSTANCE : Json.strings(nodeChecks));
    if (serviceChecks.isEmpty()) {
      json.add("ServiceChecks", JsonNull.INSTANCE);
    } else {
      JsonArray array = new JsonArray();
      for (String checkId : serviceChecks) {
        JsonObject check = new JsonObject();
        check.addProperty("ID", checkId);
        check.addProperty("Namespace", "");
        array.add(check);
      }
      json.add("ServiceChecks", array);
    }
    json.addProperty("CreateIndex", createIndex);
    json.addProperty("ModifyIndex", createIndex);
    return json;
  }
}
