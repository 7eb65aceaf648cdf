package dev.meridian.devconsul;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A registered check and its current state. Mutable; guarded by the owning {@link Datacenter}'s
 * lock like the rest of the catalog.
 */
final class HealthCheck {
  private final CheckDefinition definition;
  private final long createIndex;
  private CheckStatus status;
  private String output;
  private long modifyIndex;
  private Instant ttlDeadline;
  private Instant criticalSince;
  private Instant updatedAt;

  HealthCheck(
      CheckDefinition definition,
      CheckStatus status,
      String output,
      long createIndex,
      long modifyIndex,
      Instant criticalSince) {
    this.definition = definition;
    this.status = status;
    this.output = output;
    this.createIndex = createIndex;
    this.modifyIndex = modifyIndex;
    this.criticalSince = criticalSince;
    this.updatedAt = Instant.MIN;
  }

  CheckDefinition definition() {
    return definition;
  }

  String id() {
    return definition.checkId();
  }

  CheckStatus status() {
    return status;
  }

  String output() {
    return output;
  }

  long createIndex() {
    return createIndex;
  }

  long modifyIndex() {
    return modifyIndex;
  }

  Instant criticalSince() {
    return criticalSince;
  }

  Instant ttlDeadline() {
    return ttlDeadline;
  }

  /** When the catalog last took a new status or output of this check. */
  Instant updatedAt() {
    return updatedAt;
  }

  /** Restarts the TTL timer (a no-op for checks that are not TTL checks). */
  void restartTtl(Instant now) {
    ttlDeadline = definition.ttl() == null ? null : now.plus(definition.ttl());
  }

  /** Stops the TTL timer once it has fired; the next update restarts it. */
  void stopTtl() {
    ttlDeadline = null;
  }

  /** Applies a new status and output at {@code index}, tracking since when it is critical. */
  void update(CheckStatus newStatus, String newOutput, long index, Instant now) {
    if (newStatus == CheckStatus.CRITICAL && status != CheckStatus.CRITICAL) {
      criticalSince = now;
    } else if (newStatus != CheckStatus.CRITICAL) {
      criticalSince = null;
    }
    status = newStatus;
    output = newOutput;
    modifyIndex = index;
    updatedAt = now;
  }

  JsonObject toJson(String nodeName, List<String> serviceTags) {
    JsonObject json = new JsonObject();
    json.addProperty("Node", nodeName);
    json.addProperty("CheckID", definition.checkId());
    json.addProperty("Name", definition.name());
    json.addProperty("Status", status.wire());
    json.addProperty("Notes", definition.notes());
    json.addProperty("Output", output);
    json.addProperty("ServiceID", definition.serviceId());
    json.addProperty("ServiceName", definition.serviceName());
    json.add("ServiceTags", Json.strings(serviceTags));
    json.addProperty("Type", definition.type());
    json.addProperty("CreateIndex", createIndex);
    json.addProperty("ModifyIndex", modifyIndex);
    return json;
  }
}
